package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The 1-D convolution module: initialisation, agreement with the ops, causality, the [B, n, d] form. */
class Conv1dTest {
    @Test
    void initialisationIsUniformInPlusMinusOneOverSqrtFanIn() {
        Conv1d full = new Conv1d(16, 32, 3, 1, 1, 1, 1, 1, true, 4, DataType.DOUBLE);
        assertArrayEquals(new long[] {32, 16, 3}, full.weight().shape());
        assertArrayEquals(new long[] {32}, full.bias().shape());
        checkUniform(full.weight().toDoubleArray(), 1 / Math.sqrt(16 * 3));
        LinearTest.Stats b = LinearTest.Stats.of(full.bias().toDoubleArray());
        assertTrue(b.min() >= -1 / Math.sqrt(48) && b.max() <= 1 / Math.sqrt(48), b.toString());

        Conv1d depthwise = new Conv1d(64, 64, 5, 2, 2, 2, 1, 64, false, 4, DataType.DOUBLE);
        assertArrayEquals(new long[] {64, 1, 5}, depthwise.weight().shape());
        assertNull(depthwise.bias());
        assertEquals(List.of("weight"), List.copyOf(depthwise.namedParameters().keySet()));
        checkUniform(depthwise.weight().toDoubleArray(), 1 / Math.sqrt(5));
    }

    @Test
    void forwardMatchesFunctionalConv1d() {
        Conv1d conv = new Conv1d(4, 6, 3, 2, 2, 1, 2, 1, true, 1, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 4, 11);
        Tensor y = conv.forward(x);
        assertEquals(Functional.conv1d(x, conv.weight(), conv.bias(), 2, 2, 1, 2).value(), y.value());
        assertEquals(conv.outputLength(11), y.size(2));
        assertEquals((11 + 2 + 1 - 2 * 2 - 1) / 2 + 1, y.size(2));
    }

    @Test
    void depthwiseForwardMatchesFunctionalDepthwiseConv1d() {
        Conv1d conv = new Conv1d(5, 5, 3, 2, 1, 1, 1, 5, true, 2, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 5, 9);
        assertEquals(Functional.depthwiseConv1d(x, conv.weight(), conv.bias(), 2, 1, 1, 1).value(), conv.forward(x).value());
    }

    @Test
    void causalFactoryPadsOnlyOnTheLeftAndKeepsTheLength() {
        Conv1d c = Conv1d.causal(3, 4, 3, 2, 1, true, 1);
        assertEquals(4, c.padLeft());
        assertEquals(0, c.padRight());
        assertEquals(1, c.stride());
        assertEquals(13, c.forward(Tensor.randn(1, DataType.FLOAT, 2, 3, 13)).size(2));
    }

    @Test
    void causalConvolutionNeverSeesTheFuture() {
        for (Conv1d conv : new Conv1d[] {Conv1d.causal(3, 4, 3, 2, 1, true, 1),
                Conv1d.causal(3, 3, 4, 1, 3, true, 2),
                Conv1d.causal(3, 4, 3, 2, 1, 1, true, 3, DataType.FLOAT)}) {
            int n = 17;
            INDArray base = Tensor.randn(5, DataType.FLOAT, 2, 3, n).value();
            INDArray y = conv.forward(Tensor.of(base)).value();
            for (int t = 0; t < y.size(2); t++) {
                long lastSeen = (long) t * conv.stride();
                if (lastSeen + 1 >= n) continue;
                INDArray changed = base.dup();
                changed.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(lastSeen + 1, n)).assign(1e3);
                INDArray y2 = conv.forward(Tensor.of(changed)).value();
                INDArray past = y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1));
                Close.assertAbsClose(conv + ": outputs up to " + t, past,
                        y2.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1)), 0.0);
                assertTrue(!y.equals(y2), conv + ": the future does reach later outputs (t = " + t + ")");
            }
        }
    }

    @Test
    void forwardSequenceWorksOnBnd() {
        Conv1d conv = new Conv1d(4, 6, 3, 2, 1, 1, 1, 1, true, 1, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 9, 4);
        Tensor y = conv.forwardSequence(x);
        assertArrayEquals(new long[] {2, conv.outputLength(9), 6}, y.shape());
        Close.assertClose("y", conv.forward(x.transpose(1, 2)).transpose(1, 2).value(), y.value(), 0);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Conv1d conv64 = Conv1d.causal(2, 3, 3, 1, 2, 1, true, 1, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 7, 2).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> conv64.forwardSequence(in[0]), x);
        assertTrue(r.passed(), r.toString());
        Tensor fixed = Tensor.randn(2, DataType.DOUBLE, 2, 7, 2);
        ParameterGradCheck.assertGradientsMatchFiniteDifferences(conv64, () -> conv64.forwardSequence(fixed));
        Conv1d dw = new Conv1d(3, 3, 3, 2, 1, 1, 1, 3, true, 1, DataType.DOUBLE);
        Tensor x3 = Tensor.randn(3, DataType.DOUBLE, 2, 3, 8);
        ParameterGradCheck.assertGradientsMatchFiniteDifferences(dw, () -> dw.forward(x3));
    }

    @Test
    void wrongChannelsAreNamed() {
        Conv1d conv = new Conv1d(4, 6, 3, 1, 1, 1, 1, 1, true, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(DataType.FLOAT, 2, 5, 9)));
        assertTrue(e.getMessage().startsWith("Conv1d(4 -> 6") && e.getMessage().contains("[2, 5, 9]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.forwardSequence(Tensor.zeros(DataType.FLOAT, 2, 9, 5)));
        assertTrue(e.getMessage().contains("forwardSequence") && e.getMessage().contains("[2, 9, 5]"), e.getMessage());
    }

    @Test
    void invalidSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1d(4, 6, 3, 1, 1, 1, 1, 2, true, 1));
        assertTrue(e.getMessage().startsWith("Conv1d:") && e.getMessage().contains("groups = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 6, 3, 1, 1, 1, 1, 4, true, 1));
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 6, 3, 0, 1, 1, 1, 1, true, 1));
        assertTrue(e.getMessage().contains("stride = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 6, 3, 1, -1, 1, 1, 1, true, 1));
    }

    private static void checkUniform(double[] w, double bound) {
        LinearTest.Stats s = LinearTest.Stats.of(w);
        assertTrue(s.min() >= -bound && s.max() <= bound, s.toString());
        assertTrue(s.min() < -0.95 * bound && s.max() > 0.95 * bound, "fills the range: " + s);
        assertEquals(bound * bound / 3, s.variance(), 0.1 * bound * bound / 3, s.toString());
    }
}
