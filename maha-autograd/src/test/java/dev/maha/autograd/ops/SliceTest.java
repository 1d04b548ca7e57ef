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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** slice (Python rules) and narrow (PyTorch rules) along one axis. */
class SliceTest {
    private static Tensor permuted(long seed) {
        // [4, 2, 5] view of a [2, 5, 4] buffer
        return Tensor.of(Tensor.randn(seed, DataType.DOUBLE, 2, 5, 4).value().permute(2, 0, 1)).requiresGrad(true);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 3, 6).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].slice(1, 1, -1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithStepOnPermutedInput() {
        GradCheck.Report r = GradCheck.check(in -> in[0].slice(2, 0, 5, 2), permuted(2));
        assertTrue(r.passed(), r.toString());
        r = GradCheck.check(in -> in[0].slice(0, 1, 100, 2), permuted(3));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void narrowOnPermutedInputSelectsTheLogicalRange() {
        Tensor x = permuted(4);
        Tensor y = x.narrow(2, -3, 2);          // positions 2, 3 of the size-5 axis
        Close.assertClose("narrow values", x.value().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 4)),
                y.value(), 0);
        GradCheck.Report r = GradCheck.check(in -> in[0].narrow(2, -3, 2), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void followsPythonClampingRules() {
        Tensor x = Tensor.of(Nd4j.arange(10).castTo(DataType.DOUBLE));
        Close.assertClose("[-3:100]", Nd4j.createFromArray(7.0, 8.0, 9.0), x.slice(0, -3, 100).value(), 0);
        Close.assertClose("[-100:2]", Nd4j.createFromArray(0.0, 1.0), x.slice(0, -100, 2).value(), 0);
        Close.assertClose("[1:-1:3]", Nd4j.createFromArray(1.0, 4.0, 7.0), x.slice(0, 1, -1, 3).value(), 0);
        Close.assertClose("[2:]", Nd4j.arange(2, 10).castTo(DataType.DOUBLE), x.slice(0, 2, Long.MAX_VALUE).value(), 0);
        assertArrayEquals(new long[] {0}, x.slice(0, 6, 3).shape());
        assertArrayEquals(new long[] {0}, x.slice(0, 12, 20).shape());
    }

    @Test
    void gradientIsZeroOutsideTheSliceAndGOnIt() {
        Tensor x = Tensor.randn(5, DataType.DOUBLE, 2, 7).requiresGrad(true);
        INDArray cot = Nd4j.arange(6).castTo(DataType.DOUBLE).reshape(2, 3).addi(1);
        x.slice(1, 1, 7, 2).backward(cot);
        INDArray expected = Nd4j.createFromArray(new double[][] {{0, 1, 0, 2, 0, 3, 0}, {0, 4, 0, 5, 0, 6, 0}});
        Close.assertClose("grad", expected, x.grad(), 0);
    }

    @Test
    void emptySliceGivesZeroGradient() {
        Tensor x = Tensor.randn(6, DataType.DOUBLE, 3, 2).requiresGrad(true);
        Tensor y = x.slice(0, 2, 2);
        assertArrayEquals(new long[] {0, 2}, y.shape());
        Tensor.concat(0, y, x).sum().backward();
        Close.assertClose("grad", Nd4j.ones(DataType.DOUBLE, 3, 2), x.grad(), 0);
    }

    @Test
    void float32SliceIsAView() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor y = x.slice(-1, 1, 3);
        Close.assertClose("float32 slice", Nd4j.createFromArray(new float[][] {{1, 2}, {4, 5}}), y.value(), 0);
        assertTrue(Memory.sharesBuffer(x.value(), y.value()));
    }

    @Test
    void badArgumentsNameOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.slice(1, 0, 5, 0));
        assertTrue(e.getMessage().startsWith("slice:") && e.getMessage().contains("step") && e.getMessage().contains("[2, 5]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.slice(2, 0, 1));
        assertTrue(e.getMessage().startsWith("slice: axis 2 is out of range for rank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 3, 3));
        assertTrue(e.getMessage().startsWith("narrow:") && e.getMessage().contains("[2, 5]") && e.getMessage().contains("length 3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, -6, 1));
        assertTrue(e.getMessage().startsWith("narrow:") && e.getMessage().contains("start -6"), e.getMessage());
    }

    @Test
    void stridedSliceOfOneElementSelectsThatElement() {
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4}, 5).requiresGrad(true);
        Tensor a = x.slice(0, 1, 2, 2);
        Tensor b = x.slice(0, 4, 5, 3);
        assertArrayEquals(new double[] {1}, a.value().dup().data().asDouble(), 0);
        assertArrayEquals(new double[] {4}, b.value().dup().data().asDouble(), 0);
        a.add(b).sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 0, 1}, x.grad().dup().data().asDouble(), 0);
    }
}
