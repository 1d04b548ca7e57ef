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

/** Tensor.stack(axis, parts): join equal shapes along a new axis; the gradient splits back. */
class StackTest {
    @Test
    void gradientMatchesFiniteDifferencesOnEveryAxisWithPermutedPart() {
        for (int axis : new int[] {0, 1, 2, -1}) {
            Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 3).requiresGrad(true);
            Tensor b = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 2).value().transpose()).requiresGrad(true);
            int ax = axis;
            GradCheck.Report r = GradCheck.check(in -> Tensor.stack(ax, in[0], in[1], in[0]), a, b);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void gradientSplitsTheCotangentByPosition() {
        Tensor a = Tensor.randn(3, DataType.DOUBLE, 2).requiresGrad(true);
        Tensor b = Tensor.randn(4, DataType.DOUBLE, 2).requiresGrad(true);
        Tensor y = Tensor.stack(1, a, b);
        assertArrayEquals(new long[] {2, 2}, y.shape());
        Close.assertClose("forward", Nd4j.vstack(a.value(), b.value()).transpose(), y.value(), 0);
        y.backward(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}));
        Close.assertClose("grad a", Nd4j.createFromArray(1.0, 3.0), a.grad(), 0);
        Close.assertClose("grad b", Nd4j.createFromArray(2.0, 4.0), b.grad(), 0);
    }

    @Test
    void float32ForwardMatchesNd4jStack() {
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray b = a.mul(10);
        Close.assertClose("float32 axis 0", Nd4j.stack(0, a, b), Tensor.stack(0, Tensor.of(a), Tensor.of(b)).value(), 0);
        Close.assertClose("float32 axis 2", Nd4j.stack(2, a, b), Tensor.stack(2, Tensor.of(a), Tensor.of(b)).value(), 0);
        assertArrayEquals(new long[] {1, 2, 3}, Tensor.stack(0, Tensor.of(a)).shape());
    }

    @Test
    void badShapesAndAxisNameOp() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.stack(0, a, Tensor.zeros(DataType.DOUBLE, 3, 2)));
        assertTrue(e.getMessage().startsWith("stack:") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(3, a, a));
        assertTrue(e.getMessage().startsWith("stack: axis 3 is out of range for rank 3"), e.getMessage());
    }
}
