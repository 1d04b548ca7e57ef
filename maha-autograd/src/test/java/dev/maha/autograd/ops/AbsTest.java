package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code |x|}, element-wise. */
class AbsTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].abs(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).subi(0.5).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].abs(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 10).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9))).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].abs().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ForwardMatchesJavaMath() {
        float[] xs = {-3f, -0.5f, 0f, 1f, 2.5f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = (float) f(xs[i]);
        Tensor y = Tensor.of(xs, xs.length).abs();
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("abs float32", Nd4j.createFromArray(expected), y.value(), 1e-6);
    }

    private static double f(double x) {
        return Math.abs(x);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).abs());
        assertTrue(e.getMessage().startsWith("abs:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }

    @Test
    void gradientIsTheSignAndZeroAtZero() {
        Tensor x = Tensor.of(new double[] {-2, 0, 3}, 3).requiresGrad(true);
        x.abs().backward(Nd4j.createFromArray(5.0, 5.0, 5.0));
        Close.assertClose("d|x|", Nd4j.createFromArray(-5.0, 0.0, 5.0), x.grad(), 0);
    }
}
