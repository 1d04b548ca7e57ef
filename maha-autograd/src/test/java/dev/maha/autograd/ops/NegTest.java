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

/** {@code −x}, element-wise. */
class NegTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].neg(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].neg().mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientIsMinusTheCotangent() {
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        x.neg().backward(Nd4j.createFromArray(0.5, 2.0, -1.0));
        Close.assertClose("d(−x)", Nd4j.createFromArray(-0.5, -2.0, 1.0), x.grad(), 0);
    }

    @Test
    void float32ForwardNegatesEveryElement() {
        Tensor y = Tensor.of(new float[] {1.5f, -2f, 0f}, 3).neg();
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("−x", Nd4j.createFromArray(-1.5f, 2f, -0f), y.value(), 0);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2, 3, 4}, 2, 2).neg());
        assertTrue(e.getMessage().startsWith("neg:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2, 2]"),
                e.getMessage());
    }
}
