package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** upsampleNearest(axis, outLength): src = (dst · inLen) div outLen, gradient sums over destinations. */
class UpsampleNearestTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("upsample_nearest", in -> in[0].upsampleNearest(-1, 11));
    }

    @Test
    void sourceIndexMatchesPyTorch() {
        long[] fixture = Fixtures.ops().get("upsample_nearest.src_index").toLongVector();
        assertArrayEquals(fixture, UpsampleNearest.sourceIndex(5, 11));
        assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2, 3, 3}, UpsampleNearest.sourceIndex(4, 8));
        assertArrayEquals(new long[] {0, 1, 2}, UpsampleNearest.sourceIndex(3, 3));
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, UpsampleNearest.sourceIndex(4, 16));
        assertArrayEquals(new long[] {0, 2, 4}, UpsampleNearest.sourceIndex(7, 3));   // 14 div 3 = 4
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(1, DataType.DOUBLE, 3, 2, 4).value().permute(1, 2, 0)).requiresGrad(true);   // [2,4,3]
        GradCheck.Report r = GradCheck.check(in -> in[0].upsampleNearest(1, 7), x);
        assertTrue(r.passed(), r.toString());
        r = GradCheck.check(in -> in[0].upsampleNearest(0, 3), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientSumsOverEveryDestinationOfASource() {
        Tensor x = Tensor.randn(2, DataType.DOUBLE, 1, 3).requiresGrad(true);
        x.upsampleNearest(1, 7).backward(Nd4j.createFromArray(new double[][] {{1, 2, 3, 4, 5, 6, 7}}));
        // sources of t = 0..6 for 3 → 7: [0,0,0,1,1,2,2]
        Close.assertClose("grad", Nd4j.createFromArray(new double[][] {{6, 9, 13}}), x.grad(), 0);
    }

    @Test
    void float32DoublesEachPositionWhenTheLengthDoubles() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Close.assertClose("float32", Nd4j.createFromArray(new float[][] {{1, 2}, {1, 2}, {3, 4}, {3, 4}, {5, 6}, {5, 6}}),
                x.upsampleNearest(0, 6).value(), 0);
    }

    @Test
    void badLengthOrAxisNamesOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.upsampleNearest(1, 0));
        assertTrue(e.getMessage().startsWith("upsample_nearest:") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("length 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.upsampleNearest(2, 4));
        assertTrue(e.getMessage().startsWith("upsample_nearest: axis 2 is out of range for rank 2"), e.getMessage());
    }
}
