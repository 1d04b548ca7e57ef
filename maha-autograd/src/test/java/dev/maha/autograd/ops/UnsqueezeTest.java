package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** unsqueeze(axis): a new size-1 axis. */
class UnsqueezeTest {
    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(1, DataType.DOUBLE, 3, 4).value().transpose()).requiresGrad(true);
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].unsqueeze(a), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void insertsTheAxisWherePyTorchDoes() {
        Tensor x = Tensor.zeros(DataType.FLOAT, 2, 3);
        assertArrayEquals(new long[] {1, 2, 3}, x.unsqueeze(0).shape());
        assertArrayEquals(new long[] {2, 1, 3}, x.unsqueeze(1).shape());
        assertArrayEquals(new long[] {2, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new long[] {2, 1, 3}, x.unsqueeze(-2).shape());
    }

    @Test
    void float32ResultIsAViewWithTheSameValues() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}).transpose());
        Tensor y = x.unsqueeze(1);
        Close.assertClose("float32", Nd4j.createFromArray(new float[][][] {{{1, 3}}, {{2, 4}}}), y.value(), 0);
        assertTrue(Memory.sharesBuffer(x.value(), y.value()));
    }

    @Test
    void axisOutOfRangeNamesOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(3));
        assertTrue(e.getMessage().startsWith("unsqueeze: axis 3 is out of range for rank 3"), e.getMessage());
    }
}
