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

/** sum() and sum(keepDims, axes): the gradient broadcasts g back over the reduced axes. */
class SumTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("sum", in -> in[0].sum(false, 1));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (int[] axes : new int[][] {{}, {0}, {-1}, {0, 2}}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].sum(false, axes), x);
            assertTrue(r.passed(), java.util.Arrays.toString(axes) + ": " + r);
            r = GradCheck.check(in -> in[0].sum(true, axes), x);
            assertTrue(r.passed(), java.util.Arrays.toString(axes) + " keepDims: " + r);
        }
        GradCheck.Report r = GradCheck.check(in -> in[0].sum(), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sum(false, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void shapesFollowKeepDims() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3, 4);
        assertArrayEquals(new long[] {2, 4}, x.sum(false, 1).shape());
        assertArrayEquals(new long[] {2, 1, 4}, x.sum(true, 1).shape());
        assertArrayEquals(new long[0], x.sum().shape());
        assertArrayEquals(new long[] {1, 1, 1}, x.sum(true).shape());
    }

    @Test
    void float32ForwardMatchesHandSum() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Close.assertClose("rows", Nd4j.createFromArray(6f, 15f), x.sum(false, 1).value(), 0);
        assertEquals(21.0, x.sum().item(), 0);
    }

    @Test
    void badAxesNameOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(false, 2));
        assertEquals("sum: axis 2 is out of range for rank 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.sum(false, 1, -1));
        assertTrue(e.getMessage().startsWith("sum:") && e.getMessage().contains("twice"), e.getMessage());
    }
}
