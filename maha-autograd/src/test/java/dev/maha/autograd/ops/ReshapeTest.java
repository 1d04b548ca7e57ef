package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** reshape / view: same elements in row-major order, one -1 inferred. */
class ReshapeTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].reshape(4, -1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].reshape(2, 12), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void permutedInputIsReadInLogicalRowMajorOrder() {
        INDArray base = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4);
        INDArray p = base.permute(2, 0, 1);            // [4, 2, 3], p[i,j,k] = base[j,k,i]
        Tensor y = Tensor.of(p).reshape(4, 6);
        Close.assertClose("reshape of permuted", p.dup('c').reshape(4, 6), y.value(), 0);
        assertEquals(12.0, y.value().getDouble(0, 3), 0);   // p[0,1,0] = base[1,0,0]
    }

    @Test
    void slicedInputGradientHasTheInputShape() {
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 4, 6).requiresGrad(true);
        Tensor s = x.slice(1, 1, 5);                       // non-contiguous [4, 4]
        GradCheck.Report r = GradCheck.check(in -> in[0].reshape(-1), Tensor.of(s.value()).requiresGrad(true));
        assertTrue(r.passed(), r.toString());
        s.reshape(2, 8).sum().backward();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 4, 6);
        expected.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 5)).assign(1);
        Close.assertClose("grad through slice and reshape", expected, x.grad(), 0);
    }

    @Test
    void contiguousInputGivesAViewWithoutCopy() {
        Tensor x = Tensor.randn(4, DataType.FLOAT, 2, 6);
        Tensor y = x.reshape(3, -1, 2);
        assertArrayEquals(new long[] {3, 2, 2}, y.shape());
        assertTrue(Memory.sharesBuffer(x.value(), y.value()));
    }

    @Test
    void viewIsTheSameOpAsReshape() {
        Tensor x = Tensor.randn(5, DataType.DOUBLE, 2, 3).requiresGrad(true);
        Tensor v = x.view(-1);
        assertEquals("view", v.opName());
        Close.assertClose("view", x.value().reshape(6), v.value(), 0);
        GradCheck.Report r = GradCheck.check(in -> in[0].view(3, 2), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ForwardMatchesRowMajorOrder() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.reshape(3, 2);
        Close.assertClose("float32 reshape", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}}), y.value(), 0);
        assertEquals(DataType.FLOAT, y.dtype());
        assertArrayEquals(new long[0], Tensor.of(new float[] {7}, 1, 1).reshape().shape());
    }

    @Test
    void wrongElementCountNamesOpAndShapes() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(5, 5));
        assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[5, 5]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.view(4, -1));
        assertTrue(e.getMessage().startsWith("view:") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, -1]"),
                e.getMessage());
    }

    @Test
    void twoInferredOrNegativeSizesAreRejected() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, -1));
        assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("[-1, -1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.reshape(-2, -3));
        assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("-2"), e.getMessage());
    }
}
