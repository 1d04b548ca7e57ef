package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code x} with {@code value} where a (broadcast) mask holds; the mask gets no gradient. */
class MaskedFillTest {
    private static Tensor boolMask(boolean[] values, long... shape) {
        return Tensor.of(Nd4j.createFromArray(values).reshape(shape));
    }

    @Test
    void negativeInfinityFillsMaskedPlacesAndZeroesTheirGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor mask = boolMask(new boolean[] {false, true, true, false, false, true}, 2, 3);
        Tensor y = x.maskedFill(mask, Double.NEGATIVE_INFINITY);
        double inf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {1, inf, inf, 4, 5, inf}, y.toDoubleArray(), "masked values");
        y.backward(Nd4j.createFromArray(new double[][] {{10, 20, 30}, {40, 50, 60}}));
        Close.assertAbsClose("gradient", Nd4j.createFromArray(new double[][] {{10, 0, 0}, {40, 50, 0}}), x.grad(), 0);
        assertNull(mask.grad());
    }

    @Test
    void broadcastMaskCoversEveryRow() {
        // a causal-style key mask [1, 3] over scores [2, 3]
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor mask = boolMask(new boolean[] {false, false, true}, 1, 3);
        Tensor y = x.maskedFill(mask, -1e9);
        Close.assertAbsClose("values", Nd4j.createFromArray(new double[][] {{1, 2, -1e9}, {4, 5, -1e9}}), y.value(), 0);
        y.sum().backward();
        Close.assertAbsClose("gradient", Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 1, 0}}), x.grad(), 0);
    }

    @Test
    void numericMaskTreatsNonzeroAsTrue() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4);
        Tensor mask = Tensor.indices(new long[] {0, 2, 0, -1}, 4);
        Close.assertAbsClose("values", Nd4j.createFromArray(1.0, 7.0, 3.0, 7.0), x.maskedFill(mask, 7).value(), 0);
    }

    @Test
    void nanOrInfinityUnderTheMaskDoesNotLeak() {
        Tensor x = Tensor.of(new double[] {Double.NaN, 2, Double.POSITIVE_INFINITY}, 3).requiresGrad(true);
        Tensor mask = boolMask(new boolean[] {true, false, true}, 3);
        Tensor y = x.maskedFill(mask, 0);
        Close.assertAbsClose("values", Nd4j.createFromArray(0.0, 2.0, 0.0), y.value(), 0);
        y.backward(Nd4j.createFromArray(Double.NaN, 3.0, Double.POSITIVE_INFINITY));
        Close.assertAbsClose("gradient", Nd4j.createFromArray(0.0, 3.0, 0.0), x.grad(), 0);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcastMask() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        Tensor mask = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 1).gt(0.5));
        GradCheck.Report r = GradCheck.check(in -> in[0].maskedFill(mask, -3).mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInputAndMask() {
        INDArray base = Nd4j.randn(DataType.DOUBLE, 3, 4, 2);
        Tensor x = Tensor.of(base.permute(2, 0, 1)).requiresGrad(true);
        Tensor mask = Tensor.of(base.gt(0).permute(2, 0, 1));
        GradCheck.Report r = GradCheck.check(in -> in[0].maskedFill(mask, 1.5).mul(in[0]), x);
        assertTrue(r.passed(), r.toString());
        Tensor y = x.maskedFill(mask, 1.5);
        double[] xs = x.toDoubleArray();
        double[] ms = mask.value().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) expected[i] = ms[i] != 0 ? 1.5 : xs[i];
        assertArrayEquals(expected, y.toDoubleArray(), "values on views");
    }

    @Test
    void float32KeepsItsDataType() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        Tensor y = x.maskedFill(boolMask(new boolean[] {true, false, false}, 3), -0.5);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertAbsClose("values", Nd4j.createFromArray(-0.5f, 2f, 3f), y.value(), 0);
    }

    @Test
    void forwardDoesNotModifyTheInput() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        x.maskedFill(boolMask(new boolean[] {true, true, true}, 3), 0);
        Close.assertAbsClose("x", Nd4j.createFromArray(1.0, 2.0, 3.0), x.value(), 0);
    }

    @Test
    void maskThatCannotBroadcastNamesTheOpAndShapes() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill(Tensor.of(Nd4j.create(DataType.BOOL, 5)), 0));
        assertTrue(e.getMessage().startsWith("masked_fill:") && e.getMessage().contains("[3, 4]")
                && e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void maskThatWouldEnlargeTheOutputIsRejected() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill(Tensor.of(Nd4j.create(DataType.BOOL, 2, 3, 4)), 0));
        assertTrue(e.getMessage().startsWith("masked_fill:") && e.getMessage().contains("[3, 4]")
                && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }
}
