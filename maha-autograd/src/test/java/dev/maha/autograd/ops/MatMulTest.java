package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Matrix product over the last two axes, with broadcast leading axes. */
class MatMulTest {
    @Test
    void matches2dPyTorchFixture() {
        OpFixture.check("matmul_2d", in -> in[0].matmul(in[1]));
    }

    @Test
    void matchesBatchedPyTorchFixture() {
        OpFixture.check("matmul_batched", in -> in[0].matmul(in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferences2d() {
        check(Tensor.randn(1, DataType.DOUBLE, 3, 4), Tensor.randn(2, DataType.DOUBLE, 4, 5));
    }

    @Test
    void gradientMatchesFiniteDifferencesBatchedTimesMatrix() {
        check(Tensor.randn(1, DataType.DOUBLE, 2, 3, 4), Tensor.randn(2, DataType.DOUBLE, 4, 2));
    }

    @Test
    void gradientMatchesFiniteDifferencesMatrixTimesBatched() {
        check(Tensor.randn(1, DataType.DOUBLE, 3, 4), Tensor.randn(2, DataType.DOUBLE, 2, 4, 2));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcastBatchAxes() {
        check(Tensor.randn(1, DataType.DOUBLE, 2, 1, 3, 4), Tensor.randn(2, DataType.DOUBLE, 1, 3, 4, 2));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnTransposedViews() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 2, 4, 3).permute(0, 2, 1));
        Tensor b = Tensor.of(Nd4j.rand(DataType.DOUBLE, 5, 4).transpose());
        check(a, b);
    }

    @Test
    void agreesWithNd4jOnPermutedOperands() {
        var a = Nd4j.rand(DataType.DOUBLE, 5, 3).transpose();
        var b = Nd4j.rand(DataType.DOUBLE, 5, 2);
        Close.assertClose("aᵀb", a.mmul(b), Tensor.of(a).matmul(Tensor.of(b)).value(), 1e-12);
    }

    @Test
    void innerDimensionMismatchNamesShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DataType.FLOAT, 3, 4).matmul(Tensor.zeros(DataType.FLOAT, 5, 6)));
        assertTrue(e.getMessage().startsWith("matmul:") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 6]"),
                e.getMessage());
    }

    private static void check(Tensor a, Tensor b) {
        a.requiresGrad(true);
        b.requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].matmul(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }
}
