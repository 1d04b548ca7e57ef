package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** indexSelect(axis, indices): gather along an axis; the gradient scatter-adds repeated indices. */
class IndexSelectTest {
    private static final long[] REPEATS = {2, 0, 2, 2, 1};

    @Test
    void gradientMatchesFiniteDifferencesOnEveryAxisWithRepeats() {
        for (int axis = 0; axis < 3; axis++) {
            Tensor x = Tensor.randn(1 + axis, DataType.DOUBLE, 3, 3, 3).requiresGrad(true);
            Tensor idx = Tensor.indices(REPEATS, 5);
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].indexSelect(a, in[1]), x, idx);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        for (int axis = 0; axis < 3; axis++) {
            Tensor x = Tensor.of(Tensor.randn(7 + axis, DataType.DOUBLE, 2, 4, 3).value().permute(1, 2, 0)).requiresGrad(true);
            Tensor idx = Tensor.indices(new long[] {1, 1, 0}, 3);
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].indexSelect(a, in[1]), x, idx);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void permutedInputValuesMatchDirectIndexing() {
        INDArray p = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4).permute(2, 0, 1);   // [4, 2, 3]
        Tensor y = Tensor.of(p).indexSelect(2, Tensor.indices(new long[] {2, 0, 2}, 3));
        INDArray expected = Nd4j.concat(2,
                p.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 3)),
                p.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 1)),
                p.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 3)));
        Close.assertClose("index_select on permuted", expected, y.value(), 0);
    }

    @Test
    void repeatedIndicesAccumulateInTheGradient() {
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 3, 2).requiresGrad(true);
        INDArray cot = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}});
        x.indexSelect(0, Tensor.indices(REPEATS, 5)).backward(cot);
        // row 0 ← cot row 1; row 1 ← cot row 4; row 2 ← cot rows 0 + 2 + 3
        Close.assertClose("grad", Nd4j.createFromArray(new double[][] {{3, 4}, {9, 10}, {13, 16}}), x.grad(), 0);
    }

    @Test
    void int32IndicesAreAccepted() {
        Tensor x = Tensor.randn(4, DataType.DOUBLE, 2, 4).requiresGrad(true);
        Tensor i32 = Tensor.of(Nd4j.createFromArray(new int[] {3, 3, 0}));
        Tensor y = x.indexSelect(-1, i32);
        Close.assertClose("int32 vs int64", x.indexSelect(1, Tensor.indices(new long[] {3, 3, 0}, 3)).value(), y.value(), 0);
        GradCheck.Report r = GradCheck.check(in -> in[0].indexSelect(1, in[1]), x, i32);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32ForwardSelectsRows() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor y = x.indexSelect(0, Tensor.indices(new long[] {2, 0}, 2));
        Close.assertClose("float32", Nd4j.createFromArray(new float[][] {{5, 6}, {1, 2}}), y.value(), 0);
        assertArrayEquals(new long[] {0, 2}, x.indexSelect(0, Tensor.indices(new long[0], 0)).shape());
    }

    @Test
    void badIndicesNameOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.indexSelect(1, Tensor.indices(new long[] {0, 4}, 2)));
        assertTrue(e.getMessage().startsWith("index_select:") && e.getMessage().contains("index 4")
                && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.indices(new long[] {-1}, 1)));
        assertTrue(e.getMessage().startsWith("index_select:") && e.getMessage().contains("index -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.indices(new long[] {0, 1}, 1, 2)));
        assertTrue(e.getMessage().startsWith("index_select:") && e.getMessage().contains("[1, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, Tensor.of(new double[] {0}, 1)));
        assertTrue(e.getMessage().startsWith("index_select:") && e.getMessage().contains("integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(2, Tensor.indices(new long[] {0}, 1)));
        assertTrue(e.getMessage().startsWith("index_select: axis 2 is out of range for rank 2"), e.getMessage());
    }
}
