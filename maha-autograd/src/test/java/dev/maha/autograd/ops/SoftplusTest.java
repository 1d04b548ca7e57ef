package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code softplus(x) = log(1 + exp(x))}, computed as {@code max(x, 0) + log1p(exp(−|x|))}. */
class SoftplusTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).mul(3).detach().requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].softplus(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].softplus(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 10).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].softplus().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void valuesMatchJavaLog1pOfExp() {
        double[] xs = {-5, -0.5, 0, 0.7, 4, -20, -33.3, 36.6};
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = Math.log1p(Math.exp(xs[i]));
        Close.assertClose("softplus", Nd4j.createFromArray(expected), Tensor.of(xs, xs.length).softplus().value(), 1e-15);
        // relative accuracy in the left tail, where the value is tiny
        Tensor tail = Tensor.of(new double[] {-20, -33.3}, 2).softplus();
        for (int i = 0; i < 2; i++) {
            double e = Math.log1p(Math.exp(new double[] {-20, -33.3}[i]));
            assertEquals(e, tail.value().getDouble(i), 4e-16 * e);
        }
    }

    @Test
    void isStableForLargeMagnitudes() {
        Tensor x = Tensor.of(new double[] {1000, -1000, -50}, 3).requiresGrad(true);
        Tensor y = x.softplus();
        assertEquals(1000.0, y.value().getDouble(0), 0);
        assertEquals(0.0, y.value().getDouble(1), 0);
        assertEquals(Math.exp(-50), y.value().getDouble(2), 1e-15 * Math.exp(-50));   // no loss to 0 in 1 + e^−50
        y.sum().backward();
        Close.assertClose("sigmoid(x)", Nd4j.createFromArray(1.0, 0.0, Math.exp(-50)), x.grad(), 1e-15);
    }

    @Test
    void forwardAndBackwardLeaveTheInputUnchanged() {
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 4, 5).requiresGrad(true);
        INDArray before = x.value().dup();
        x.softplus().sum().backward();
        Close.assertAbsClose("x after softplus", before, x.value(), 0);
    }

    @Test
    void float32ForwardMatchesJavaMath() {
        float[] xs = {-3f, -0.5f, 0f, 1f, 25f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = (float) Math.log1p(Math.exp(xs[i]));
        Tensor y = Tensor.of(xs, xs.length).softplus();
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("softplus float32", Nd4j.createFromArray(expected), y.value(), 1e-6);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).softplus());
        assertTrue(e.getMessage().startsWith("softplus:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }
}
