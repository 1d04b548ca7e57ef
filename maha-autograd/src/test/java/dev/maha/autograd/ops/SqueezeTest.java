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

/** squeeze(axis): removes a size-1 axis (no-op on other sizes, as PyTorch). */
class SqueezeTest {
    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(1, DataType.DOUBLE, 3, 1, 4).value().permute(2, 1, 0)).requiresGrad(true);   // [4,1,3]
        GradCheck.Report r = GradCheck.check(in -> in[0].squeeze(1), x);
        assertTrue(r.passed(), r.toString());
        r = GradCheck.check(in -> in[0].squeeze(-1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void removesOnlyASizeOneAxis() {
        Tensor x = Tensor.zeros(DataType.FLOAT, 2, 1, 3);
        assertArrayEquals(new long[] {2, 3}, x.squeeze(1).shape());
        assertArrayEquals(new long[] {2, 3}, x.squeeze(-2).shape());
        assertArrayEquals(new long[] {2, 1, 3}, x.squeeze(0).shape());
    }

    @Test
    void float32ValuesAreKept() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        Close.assertClose("float32", Nd4j.createFromArray(new float[] {1, 2, 3}), x.squeeze(0).value(), 0);
    }

    @Test
    void axisOutOfRangeNamesOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.squeeze(2));
        assertTrue(e.getMessage().startsWith("squeeze: axis 2 is out of range for rank 2"), e.getMessage());
    }
}
