package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class RotaryTest {

    @Test
    void scoresDependOnlyOnTheOffsetInInputTokens() {
        // The same query and key vector at every position: after rotation the score matrix is Toeplitz, and
        // with step R it equals the step-1 matrix at positions multiplied by R.
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            int m = 6;
            int dh = 8;
            INDArray q = Nd4j.rand(DataType.DOUBLE, 1, 1, 1, dh).subi(0.5).repeat(2, m);
            INDArray k = Nd4j.rand(DataType.DOUBLE, 1, 1, 1, dh).subi(0.5).repeat(2, m);
            for (long step : new long[] {1, 4}) {
                INDArray s = scores(Rotary.apply(Tensor.of(q), step, 10000), Rotary.apply(Tensor.of(k), step, 10000));
                for (int j = 1; j < m; j++) {
                    for (int jj = 1; jj < m; jj++) {
                        assertEquals(s.getDouble(j - 1, jj - 1), s.getDouble(j, jj), 1e-12, "step " + step + " [" + j + ", " + jj + "]");
                    }
                }
            }
            INDArray coarse = Rotary.apply(Tensor.of(q), 4, 10000).value();
            INDArray fine = Rotary.apply(Tensor.of(q.repeat(2, 4)), 1, 10000).value();               // positions 0..4m−1
            for (int j = 0; j < m; j++) {
                Close.assertClose("token " + j + " at 4j",
                        fine.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(4L * j), NDArrayIndex.all()),
                        coarse.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all()), 1e-12);
            }
        }
    }

    @Test
    void rotationKeepsNormsAndPositionZeroFixed() {
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            Tensor x = Tensor.randn(3, DataType.DOUBLE, 2, 3, 5, 4);
            INDArray y = Rotary.apply(x, 2, 100).value();
            INDArray nx = x.value().norm2(3);
            Close.assertClose("norms", nx, y.norm2(3), 1e-12);
            Close.assertClose("position 0", x.value().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)),
                    y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)), 0);
            Tensor f = Tensor.randn(3, DataType.FLOAT, 1, 1, 5, 4);
            assertEquals(DataType.FLOAT, Rotary.apply(f, 1, 10).dtype());
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(4, DataType.DOUBLE, 1, 2, 5, 6).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Rotary.apply(in[0], 3, 50), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rotary.apply(Tensor.zeros(DataType.FLOAT, 1, 1, 3, 5), 1, 10));
        assertTrue(e.getMessage().contains("Rotary") && e.getMessage().contains("[1, 1, 3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rotary.apply(Tensor.zeros(DataType.FLOAT, 1, 1, 3, 4), 0, 10));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rotary.apply(Tensor.zeros(DataType.FLOAT, 1, 1, 3, 4), 1, 1));
        assertTrue(e.getMessage().contains("base"), e.getMessage());
    }

    private static INDArray scores(Tensor q, Tensor k) {
        return q.matmul(k.transpose(2, 3)).value().reshape(q.size(2), k.size(2));
    }
}
