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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** GELU, exact erf form {@code 0.5·x·(1 + erf(x/√2))}. */
class GeluTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("gelu", in -> in[0].gelu());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).mul(2).detach().requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].gelu(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].gelu(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 10).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].gelu().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void valuesAndDerivativeMatchClosedForms() {
        // Φ(1) = 0.841344746068542948585232545632, φ(1) = 0.241970724519143349797830192935
        Tensor x = Tensor.of(new double[] {1, -1, 0}, 3).requiresGrad(true);
        Tensor y = x.gelu();
        double cdf1 = 0.8413447460685429;
        double pdf1 = 0.24197072451914337;
        Close.assertClose("gelu(±1, 0)", Nd4j.createFromArray(cdf1, -(1 - cdf1), 0.0), y.value(), 1e-15);
        y.sum().backward();
        Close.assertClose("gelu'(±1, 0) = Φ(x) + xφ(x)",
                Nd4j.createFromArray(cdf1 + pdf1, (1 - cdf1) - pdf1, 0.5), x.grad(), 1e-15);
    }

    @Test
    void farLeftTailIsAccurateAndFinite() {
        // gelu(−10) = −10·Φ(−10) = −10 · 7.61985302416052606e-24
        Tensor x = Tensor.of(new double[] {-10, -40, 40}, 3).requiresGrad(true);
        Tensor y = x.gelu();
        assertEquals(-7.619853024160526e-23, y.value().getDouble(0), 1e-36);
        assertEquals(0.0, y.value().getDouble(1), 0);
        assertEquals(40.0, y.value().getDouble(2), 0);
        y.sum().backward();
        for (int i = 0; i < 3; i++) assertTrue(Double.isFinite(x.grad().getDouble(i)), x.grad().toString());
        assertEquals(1.0, x.grad().getDouble(2), 0);
    }

    @Test
    void forwardAndBackwardLeaveTheInputUnchanged() {
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 4, 5).requiresGrad(true);
        INDArray before = x.value().dup();
        x.gelu().sum().backward();
        Close.assertAbsClose("x after gelu", before, x.value(), 0);
    }

    @Test
    void float32ForwardMatchesDoubleComputation() {
        float[] xs = {-3f, -0.5f, 0f, 1f, 2.5f};
        Tensor y = Tensor.of(xs, xs.length).gelu();
        assertEquals(DataType.FLOAT, y.dtype());
        double[] ref = Tensor.of(new double[] {-3, -0.5, 0, 1, 2.5}, 5).gelu().toDoubleArray();
        Close.assertClose("gelu float32", Nd4j.createFromArray(ref).castTo(DataType.FLOAT), y.value(), 1e-6);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).gelu());
        assertTrue(e.getMessage().startsWith("gelu:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }
}
