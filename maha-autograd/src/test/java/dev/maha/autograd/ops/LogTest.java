package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Natural logarithm, element-wise. */
class LogTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("log", in -> in[0].log());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.uniform(1, 0.1, 3, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].log(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).addi(0.2).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].log(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 10).addi(0.2).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9))).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].log().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ForwardMatchesJavaMath() {
        float[] xs = {0.1f, 0.5f, 1f, 2.5f, 100f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = (float) f(xs[i]);
        Tensor y = Tensor.of(xs, xs.length).log();
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("log float32", Nd4j.createFromArray(expected), y.value(), 1e-6);
    }

    private static double f(double x) {
        return Math.log(x);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).log());
        assertTrue(e.getMessage().startsWith("log:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }

    @Test
    void nonPositiveInputsFollowIeee() {
        Tensor y = Tensor.of(new double[] {0, -1}, 2).log();
        assertEquals(Double.NEGATIVE_INFINITY, y.value().getDouble(0));
        assertTrue(Double.isNaN(y.value().getDouble(1)));
    }
}
