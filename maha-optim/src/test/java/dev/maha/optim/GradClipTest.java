package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Clipping by the global norm, as torch.nn.utils.clip_grad_norm_: scale = maxNorm/(total + 1e-6) when &lt; 1. */
class GradClipTest {
    private static Tensor withGrad(double... g) {
        Tensor p = Tensor.zeros(DataType.DOUBLE, g.length).requiresGrad(true);
        p.setGrad(Nd4j.createFromArray(g));
        return p;
    }

    @Test
    void scalesEveryGradientByMaxNormOverTotalNorm() {
        // ‖(3, 4)‖ = 5, ‖(12)‖ = 12, total = √(25 + 144) = 13; scale = 6.5/(13 + 1e-6)
        Tensor a = withGrad(3, 4);
        Tensor b = withGrad(12);
        Tensor none = Tensor.zeros(DataType.DOUBLE, 2).requiresGrad(true);
        double total = GradClip.clipGlobalNorm(List.of(a, none, b), 6.5);
        assertEquals(13.0, total, 0.0);
        double scale = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * scale, 4 * scale}, a.grad().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {12 * scale}, b.grad().toDoubleVector(), 0.0);
        assertNull(none.grad());
    }

    @Test
    void gradientsWithinTheBoundAreUntouched() {
        Tensor a = withGrad(3, 4);
        assertEquals(5.0, GradClip.clipGlobalNorm(List.of(a), 6), 0.0);
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleVector(), 0.0);
        assertEquals(5.0, GradClip.clipGlobalNorm(List.of(a), Double.POSITIVE_INFINITY), 0.0);
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleVector(), 0.0);
    }

    @Test
    void aNormEqualToTheBoundIsStillScaledByTheEpsilonAsInPyTorch() {
        Tensor a = withGrad(3, 4);
        GradClip.clipGlobalNorm(List.of(a), 5);
        double scale = 5 / (5 + 1e-6);
        assertArrayEquals(new double[] {3 * scale, 4 * scale}, a.grad().toDoubleVector(), 0.0);
    }

    @Test
    void maxNormZeroZeroesTheGradients() {
        Tensor a = withGrad(3, 4);
        assertEquals(5.0, GradClip.clipGlobalNorm(List.of(a), 0), 0.0);
        assertArrayEquals(new double[] {0, 0}, a.grad().toDoubleVector(), 0.0);
    }

    @Test
    void noGradientsGiveNormZero() {
        assertEquals(0.0, GradClip.clipGlobalNorm(List.of(Tensor.zeros(DataType.DOUBLE, 3)), 1), 0.0);
        assertEquals(0.0, GradClip.clipGlobalNorm(List.of(), 1), 0.0);
    }

    @Test
    void aNonFiniteNormIsReturnedAndNothingIsScaled() {
        Tensor a = withGrad(3, 4);
        Tensor b = withGrad(Double.NaN);
        assertTrue(Double.isNaN(GradClip.clipGlobalNorm(List.of(a, b), 1)));
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleVector(), 0.0);
        Tensor c = withGrad(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipGlobalNorm(List.of(a, c), 1));
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleVector(), 0.0);
    }

    @Test
    void float32GradientsAreClippedToo() {
        Tensor a = Tensor.zeros(DataType.FLOAT, 2).requiresGrad(true);
        a.setGrad(Nd4j.createFromArray(30f, 40f));
        assertEquals(50.0, GradClip.clipGlobalNorm(List.of(a), 1), 1e-5);
        assertEquals(1.0, a.grad().norm2Number().doubleValue(), 1e-6);
    }

    @Test
    void aNegativeBoundIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradClip.clipGlobalNorm(List.of(withGrad(1)), -1));
        assertEquals("clip_grad_norm: maxNorm = -1.0 must be ≥ 0", e.getMessage());
    }

    @Property(tries = 200)
    void clippedNormNeverExceedsTheBoundAndDirectionsAreKept(@ForAll @IntRange(min = 1, max = 5) int count,
                                                             @ForAll @DoubleRange(min = 0, max = 100) @Scale(6) double maxNorm,
                                                             @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(6) double size,
                                                             @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random rnd = new Random(seed);
        List<Tensor> params = new ArrayList<>();
        List<double[]> before = new ArrayList<>();
        double sumSquares = 0;
        for (int i = 0; i < count; i++) {
            double[] g = Runs.normal(rnd, 1 + rnd.nextInt(7), size);
            for (double v : g) sumSquares += v * v;
            before.add(g);
            params.add(withGrad(g));
        }
        double expectedTotal = Math.sqrt(sumSquares);
        double total = GradClip.clipGlobalNorm(params, maxNorm);
        assertEquals(expectedTotal, total, 1e-12 * expectedTotal);
        double scale = Math.min(1, maxNorm / (total + 1e-6));
        double after = 0;
        for (int i = 0; i < count; i++) {
            double[] g = params.get(i).grad().toDoubleVector();
            for (int k = 0; k < g.length; k++) {
                assertEquals(before.get(i)[k] * scale, g[k], 0.0);
                after += g[k] * g[k];
            }
        }
        assertTrue(Math.sqrt(after) <= maxNorm * (1 + 1e-12), "norm after " + Math.sqrt(after) + " > " + maxNorm);
        params.forEach(Tensor::close);
    }
}
