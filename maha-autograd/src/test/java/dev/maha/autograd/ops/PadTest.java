package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** pad(axis, before, after, value): constant padding of one axis; the gradient is the slice. */
class PadTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].pad(1, 2, 1, 0.5), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 2, 4).value().permute(2, 1, 0)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].pad(0, 0, 3, -1.0).pad(-1, 1, 0, 2.0), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void padsWithTheValueAndGradientIsTheSlice() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor y = x.pad(1, 1, 2, -5);
        assertArrayEquals(new long[] {2, 2}, x.shape(), "the input keeps its shape");
        Close.assertClose("forward", Nd4j.createFromArray(new double[][] {{-5, 1, 2, -5, -5}, {-5, 3, 4, -5, -5}}), y.value(), 0);
        y.backward(Nd4j.arange(10).castTo(DataType.DOUBLE).reshape(2, 5));
        Close.assertClose("grad", Nd4j.createFromArray(new double[][] {{1, 2}, {6, 7}}), x.grad(), 0);
    }

    @Test
    void float32PadOnFirstAxis() {
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Close.assertClose("float32", Nd4j.createFromArray(new float[][] {{0, 0}, {1, 2}}), x.pad(0, 1, 0, 0).value(), 0);
    }

    @Test
    void negativePaddingAndBadAxisNameOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.pad(1, -1, 0, 0));
        assertTrue(e.getMessage().startsWith("pad:") && e.getMessage().contains("-1") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.pad(-3, 1, 1, 0));
        assertTrue(e.getMessage().startsWith("pad: axis -3 is out of range for rank 2"), e.getMessage());
    }
}
