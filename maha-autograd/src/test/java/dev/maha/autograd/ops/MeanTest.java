package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** mean() and mean(keepDims, axes): the gradient is g / count broadcast back. */
class MeanTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("mean", in -> in[0].mean(false, 1));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (int[] axes : new int[][] {{}, {1}, {-1, 0}}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].mean(false, axes), x);
            assertTrue(r.passed(), java.util.Arrays.toString(axes) + ": " + r);
            r = GradCheck.check(in -> in[0].mean(true, axes), x);
            assertTrue(r.passed(), java.util.Arrays.toString(axes) + " keepDims: " + r);
        }
        GradCheck.Report r = GradCheck.check(in -> in[0].mean(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedAndSizeOneAxes() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 1, 4).value().permute(2, 1, 0)).requiresGrad(true);   // [4,1,3]
        GradCheck.Report r = GradCheck.check(in -> in[0].mean(false, 0), x);
        assertTrue(r.passed(), r.toString());
        r = GradCheck.check(in -> in[0].mean(true, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientIsCotangentOverCount() {
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 2, 4).requiresGrad(true);
        x.mean(true, 1).backward(Nd4j.createFromArray(new double[][] {{4}, {8}}));
        Close.assertClose("grad", Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {2, 2, 2, 2}}), x.grad(), 0);
    }

    @Test
    void float32ForwardMatchesHandMean() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Close.assertClose("rows", Nd4j.createFromArray(2f, 5f), x.mean(false, 1).value(), 0);
        Close.assertClose("cols kept", Nd4j.createFromArray(new float[][] {{2.5f, 3.5f, 4.5f}}), x.mean(true, 0).value(), 0);
        assertEquals(3.5, x.mean().item(), 0);
        assertArrayEquals(new long[0], x.mean().shape());
    }

    @Test
    void badInputNamesOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mean(false, -3));
        assertEquals("mean: axis -3 is out of range for rank 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.indices(new long[] {1, 2}, 2).mean());
        assertTrue(e.getMessage().startsWith("mean:") && e.getMessage().contains("[2]") && e.getMessage().contains("floating"),
                e.getMessage());
    }
}
