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

/** {@code x^p} with a constant exponent. */
class PowTest {
    @Test
    void gradientMatchesFiniteDifferencesForFractionalAndNegativeExponents() {
        Tensor x = Tensor.uniform(1, 0.5, 2, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (double p : new double[] {2.5, -1.5, 0.5, 1}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].pow(p), x);
            assertTrue(r.passed(), "p = " + p + ": " + r);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesForAnIntegerExponentOnNegativeBases() {
        Tensor x = Tensor.randn(2, DataType.DOUBLE, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].pow(3), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 4, 10).addi(0.5).get(NDArrayIndex.interval(1, 4),
                NDArrayIndex.interval(0, 3, 10))).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].pow(1.7), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void zeroExponentHasAnExactlyZeroGradientEvenAtZero() {
        Tensor x = Tensor.of(new double[] {0, 2, -3}, 3).requiresGrad(true);
        Tensor y = x.pow(0);
        Close.assertClose("x^0", Nd4j.createFromArray(1.0, 1.0, 1.0), y.value(), 0);
        y.sum().backward();
        Close.assertAbsClose("d(x^0)", Nd4j.zeros(DataType.DOUBLE, 3), x.grad(), 0);
    }

    @Test
    void squareHasGradientTwoX() {
        Tensor x = Tensor.of(new double[] {0, 2, -3}, 3).requiresGrad(true);
        x.pow(2).sum().backward();
        Close.assertClose("d(x²)", Nd4j.createFromArray(0.0, 4.0, -6.0), x.grad(), 1e-15);
    }

    @Test
    void float32ForwardMatchesMathPow() {
        Tensor y = Tensor.of(new float[] {1.5f, 4f, 0.25f}, 3).pow(1.5);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("x^1.5", Nd4j.createFromArray((float) Math.pow(1.5, 1.5), 8f, 0.125f), y.value(), 1e-6);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3}, 3).pow(2));
        assertTrue(e.getMessage().startsWith("pow:") && e.getMessage().contains("LONG") && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void nonFiniteExponentIsRejectedWithOpNameAndValue() {
        Tensor x = Tensor.ones(DataType.DOUBLE, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.pow(Double.NaN));
        assertTrue(e.getMessage().startsWith("pow:") && e.getMessage().contains("NaN"), e.getMessage());
    }
}
