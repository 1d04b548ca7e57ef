package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** permute(perm): out.shape[i] = in.shape[perm[i]] (PyTorch semantics). */
class PermuteTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("permute", in -> in[0].permute(2, 0, 3, 1));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 1, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].permute(3, -4, 1, 2), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnSlicedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 5, 2).value()
                .get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 5), NDArrayIndex.all())).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].permute(2, 0, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32FollowsPyTorchIndexRule() {
        Tensor x = Tensor.of(Nd4j.arange(120).castTo(DataType.FLOAT).reshape(2, 3, 4, 5));
        Tensor y = x.permute(2, 0, 3, 1);
        assertArrayEquals(new long[] {4, 2, 5, 3}, y.shape());
        // out[a,b,c,e] = in[b,e,a,c]
        assertEquals(x.value().getFloat(1, 2, 3, 4), y.value().getFloat(3, 1, 4, 2), 0);
        assertEquals(x.value().getFloat(0, 1, 2, 0), y.value().getFloat(2, 0, 0, 1), 0);
    }

    @Test
    void badPermutationsNameOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3, 4);
        for (int[] bad : new int[][] {{0, 1}, {0, 0, 1}, {0, 1, 3}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.permute(bad));
            assertTrue(e.getMessage().startsWith("permute:") && e.getMessage().contains("[2, 3, 4]")
                    && e.getMessage().contains(java.util.Arrays.toString(bad)), e.getMessage());
        }
    }
}
