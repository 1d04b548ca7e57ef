package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** transpose(a, b): swaps two axes, as a view. */
class TransposeTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("transpose", in -> in[0].transpose(1, 2));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].transpose(0, -1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(1, 2, 0)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].transpose(0, 1).mean(false, 2), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ResultIsAViewWithSwappedIndices() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        Tensor y = x.transpose(-1, 1);
        assertArrayEquals(new long[] {1, 3, 2}, y.shape());
        assertEquals(6f, y.value().getFloat(0, 2, 1), 0);   // x[0,1,2]
        assertEquals(2f, y.value().getFloat(0, 1, 0), 0);   // x[0,0,1]
        assertTrue(Memory.sharesBuffer(x.value(), y.value()));
    }

    @Test
    void axisOutOfRangeNamesOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 3));
        assertEquals("transpose: axis 3 is out of range for rank 3", e.getMessage());
    }
}
