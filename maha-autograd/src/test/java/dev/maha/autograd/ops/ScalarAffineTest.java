package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code x + c}, {@code x − c}, {@code x · c}, {@code x / c}, {@code c − x} with a constant scalar. */
class ScalarAffineTest {
    private static final double C = -2.5;

    @Test
    void gradientMatchesFiniteDifferencesForEveryKind() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        checkAll(x);
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        checkAll(x);
    }

    private static void checkAll(Tensor x) {
        // multiplied by x so that a wrong constant gradient (g instead of g·c, ...) cannot pass
        UnaryOperator<Tensor>[] fs = kinds();
        for (int k = 0; k < fs.length; k++) {
            UnaryOperator<Tensor> f = fs[k];
            GradCheck.Report r = GradCheck.check(in -> f.apply(in[0]).mul(in[0]), x);
            assertTrue(r.passed(), "kind " + k + ": " + r);
        }
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<Tensor>[] kinds() {
        return new UnaryOperator[] {t -> ((Tensor) t).add(C), t -> ((Tensor) t).sub(C), t -> ((Tensor) t).mul(C),
            t -> ((Tensor) t).div(C), t -> ((Tensor) t).rsub(C)};
    }

    @Test
    void valuesAndGradientsMatchHandComputedOnes() {
        double[] xs = {1, -2, 0.5};
        double[][] values = {{-1.5, -4.5, -2}, {3.5, 0.5, 3}, {-2.5, 5, -1.25}, {-0.4, 0.8, -0.2}, {-3.5, -0.5, -3}};
        double[] grads = {1, 1, C, 1 / C, -1};
        String[] names = {"add_scalar", "sub_scalar", "mul_scalar", "div_scalar", "rsub_scalar"};
        UnaryOperator<Tensor>[] fs = kinds();
        for (int k = 0; k < fs.length; k++) {
            Tensor x = Tensor.of(xs, 3).requiresGrad(true);
            Tensor y = fs[k].apply(x);
            assertEquals(names[k], y.opName());
            Close.assertClose(names[k] + " value", Nd4j.createFromArray(values[k]), y.value(), 1e-15);
            y.sum().backward();
            Close.assertClose(names[k] + " grad", Nd4j.valueArrayOf(new long[] {3}, grads[k], DataType.DOUBLE), x.grad(), 1e-15);
        }
    }

    @Test
    void float32StaysFloat32() {
        Tensor y = Tensor.of(new float[] {1f, 2f}, 2).mul(0.5).add(1).div(4).rsub(1).sub(0.25);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("1 − (0.5x + 1)/4 − 0.25", Nd4j.createFromArray(0.375f, 0.25f), y.value(), 1e-7);
    }

    @Test
    void integerInputIsRejectedWithOpNameAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.indices(new long[] {1, 2}, 2).mul(0.5));
        assertTrue(e.getMessage().startsWith("mul_scalar:") && e.getMessage().contains("LONG") && e.getMessage().contains("[2]"),
                e.getMessage());
    }
}
