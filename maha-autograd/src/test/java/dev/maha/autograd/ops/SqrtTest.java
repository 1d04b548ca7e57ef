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

/** Square root, element-wise. */
class SqrtTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.uniform(1, 0.1, 3, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sqrt(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).addi(0.2).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sqrt(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 10).addi(0.2).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9))).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sqrt().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ForwardMatchesJavaMath() {
        float[] xs = {0f, 0.25f, 1f, 2f, 100f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = (float) f(xs[i]);
        Tensor y = Tensor.of(xs, xs.length).sqrt();
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("sqrt float32", Nd4j.createFromArray(expected), y.value(), 1e-6);
    }

    private static double f(double x) {
        return Math.sqrt(x);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).sqrt());
        assertTrue(e.getMessage().startsWith("sqrt:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }

    @Test
    void gradientIsOneOverTwiceTheRoot() {
        Tensor x = Tensor.of(new double[] {4, 0.25, 9}, 3).requiresGrad(true);
        x.sqrt().sum().backward();
        Close.assertClose("d sqrt", Nd4j.createFromArray(0.25, 1.0, 1.0 / 6), x.grad(), 1e-15);
    }
}
