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

/** Tensor.concat(axis, parts): join along an existing axis; the gradient splits back. */
class ConcatTest {
    @Test
    void gradientMatchesFiniteDifferencesWithPermutedPart() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 2, 2).value().permute(1, 2, 0)).requiresGrad(true);   // [2,2,3]
        Tensor c = Tensor.randn(3, DataType.DOUBLE, 2, 3, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Tensor.concat(1, in[0], in[1], in[2]), a, b, c);
        assertTrue(r.passed(), r.toString());
        r = GradCheck.check(in -> Tensor.concat(-1, in[0].transpose(1, 2), in[1].transpose(1, 2)), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientSplitsTheCotangentIntoEachPartsRange() {
        Tensor a = Tensor.randn(4, DataType.DOUBLE, 2, 1).requiresGrad(true);
        Tensor b = Tensor.randn(5, DataType.DOUBLE, 2, 3).requiresGrad(true);
        Tensor y = Tensor.concat(1, a, b);
        Close.assertClose("forward", Nd4j.hstack(a.value(), b.value()), y.value(), 0);
        INDArray cot = Nd4j.arange(8).castTo(DataType.DOUBLE).reshape(2, 4);
        y.backward(cot);
        Close.assertClose("grad a", Nd4j.createFromArray(new double[][] {{0}, {4}}), a.grad(), 0);
        Close.assertClose("grad b", Nd4j.createFromArray(new double[][] {{1, 2, 3}, {5, 6, 7}}), b.grad(), 0);
    }

    @Test
    void samePartTwiceGetsBothRanges() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor.concat(0, a, a).backward(Nd4j.createFromArray(1.0, 2.0, 10.0, 20.0));
        Close.assertClose("grad", Nd4j.createFromArray(11.0, 22.0), a.grad(), 0);
    }

    @Test
    void float32ForwardAndSinglePart() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        Close.assertClose("float32", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}}), Tensor.concat(0, a, b).value(), 0);
        Tensor one = Tensor.concat(0, b);
        Close.assertClose("single", b.value(), one.value(), 0);
        assertArrayEquals(new long[] {2, 2}, one.shape());
    }

    @Test
    void mismatchedShapesNameOpAndShapes() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 2, 3);
        Tensor b = Tensor.zeros(DataType.DOUBLE, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, a, b));
        assertTrue(e.getMessage().startsWith("concat:") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 4]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, a, Tensor.zeros(DataType.DOUBLE, 6)));
        assertTrue(e.getMessage().startsWith("concat:") && e.getMessage().contains("[6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(2, a, a));
        assertTrue(e.getMessage().startsWith("concat: axis 2 is out of range for rank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0));
        assertTrue(e.getMessage().startsWith("concat:"), e.getMessage());
    }
}
