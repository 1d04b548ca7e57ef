package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.assertPrefixBitIdentical;
import static dev.maha.core.maha.PyramidTesting.biases;
import static dev.maha.core.maha.PyramidTesting.cuts;
import static dev.maha.core.maha.PyramidTesting.futureChanged;
import static dev.maha.core.maha.PyramidTesting.differsAt;
import static dev.maha.core.maha.PyramidTesting.nested;
import static dev.maha.core.maha.PyramidTesting.randn;
import static dev.maha.core.maha.PyramidTesting.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DownsamplingTest {

    @Test
    void matchesReferenceFixture() {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        for (String p : new String[] {"", "nash/"}) {
            List<Tensor> w = new ArrayList<>();
            List<Tensor> b = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                w.add(Tensor.of(fx.get(p + "decomposition.downsamplers." + i + ".weight")));
                b.add(Tensor.of(fx.get(p + "decomposition.downsamplers." + i + ".bias")));
            }
            MahaConfig cfg = MahaConfig.reference(16, 4, 3, 2);
            List<Tensor> xs = Downsampling.pyramid(Tensor.of(fx.get(p + "act.x_conv")), w, b, cfg);
            assertEquals(3, xs.size());
            for (int l = 0; l < 3; l++) {
                Close.assertClose(p + "act.scale." + l, fx.get(p + "act.scale." + l), xs.get(l).value(), 1e-9);
            }
            // The same operators carry the shared values down (spec §2): V_l from V_0.
            List<Tensor> vs = Downsampling.pyramid(Tensor.of(fx.get(p + "act.v.0")), w, b, cfg);
            for (int l = 1; l < 3; l++) Close.assertClose(p + "act.v." + l, fx.get(p + "act.v." + l), vs.get(l).value(), 1e-9);
        }
    }

    @Test
    void everyModeMatchesItsDirectFormula() {
        int d = 3;
        for (Decomposition mode : Decomposition.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                for (int r = 2; r <= 3; r++) {
                    for (int k : causal ? new int[] {1, 2, 3, 4, 5} : new int[] {1, 3, 5}) {
                        if (!mode.hasWeights() && k != 3) continue;
                        for (int n : new int[] {1, 2, 5, 7, 9, 12}) {
                            long seed = 100L * n + 10L * r + k;
                            Tensor x = randn(seed, 2, n, d);
                            Tensor w = mode.hasWeights() ? weights(seed, mode, 1, d, k, DataType.DOUBLE).get(0) : null;
                            Tensor b = mode.hasWeights() ? biases(seed, mode, 1, d, DataType.DOUBLE).get(0) : null;
                            Tensor y = Downsampling.downsample(x, w, b, mode, r, k, causal);
                            double[][][] expected = direct(nested(x.value()), w == null ? null : w.value(), b == null ? null : b.value(),
                                    mode, r, k, causal);
                            String what = mode + (causal ? " causal" : " non-causal") + " n=" + n + " r=" + r + " k=" + k;
                            assertEquals(expected[0].length, y.size(1), what + ": length");
                            if (expected[0].length > 0) Close.assertClose(what, Nd4j.create(expected), y.value(), 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void causalPyramidNeverSeesTheFuture() {
        // For every n in 1..70 and every cut t: replacing the tokens after t leaves every level, upsampled
        // back to n, bit-for-bit unchanged at positions <= t (row t of a batch holds the cut at t).
        int d = 2;
        int scales = 4;
        Tensor[][] probes = new Tensor[71][];
        for (int n = 1; n <= 70; n++) probes[n] = futureChanged(1000 + n, n, d);
        for (Decomposition mode : Decomposition.values()) {
            for (int r = 2; r <= 3; r++) {
                int[] kernels = mode.hasWeights() ? new int[] {3, 5, 2} : new int[] {3};
                for (int k : kernels) {
                    List<Tensor> w = weights(7 + r, mode, scales - 1, d, k, DataType.DOUBLE);
                    List<Tensor> b = biases(8 + r, mode, scales - 1, d, DataType.DOUBLE);
                    for (int n = 1; n <= 70; n++) {
                        Tensor[] probe = probes[n];
                        List<INDArray> base = upsampledPyramid(probe[0], w, b, mode, scales, r, k);
                        List<INDArray> after = upsampledPyramid(probe[1], w, b, mode, scales, r, k);
                        for (int l = 0; l < scales; l++) {
                            assertPrefixBitIdentical(mode + " r=" + r + " k=" + k + " n=" + n + " level " + l,
                                    base.get(l), after.get(l), cuts(n));
                        }
                    }
                }
            }
        }
    }

    @Test
    void causalCoarseTokenSeesTheLastTokenOfItsBlock() {
        // The bound "coarse token j of level l sees input tokens <= (j+1)·r^l − 1" is attained: changing that
        // token changes X_l[j] (kernels k >= r read the whole block).
        int d = 2;
        for (Decomposition mode : Decomposition.values()) {
            for (int r = 2; r <= 3; r++) {
                int n = 40;
                List<Tensor> w = weights(3, mode, 3, d, 3, DataType.DOUBLE);
                List<Tensor> b = biases(4, mode, 3, d, DataType.DOUBLE);
                Tensor x = randn(9, 1, n, d);
                List<Tensor> base = Downsampling.pyramid(x, w, b, mode, 4, r, 3, true);
                for (int l = 1; l < 4; l++) {
                    long big = (long) Math.pow(r, l);
                    for (int j = 0; j < base.get(l).size(1); j++) {
                        INDArray changed = x.value().dup();
                        int t = (int) ((j + 1) * big - 1);
                        changed.putScalar(new long[] {0, t, 0}, 50.0);
                        changed.putScalar(new long[] {0, t, 1}, 50.0);
                        List<Tensor> after = Downsampling.pyramid(Tensor.of(changed), w, b, mode, 4, r, 3, true);
                        assertTrue(differsAt(base.get(l).value(), after.get(l).value(), j),
                                mode + " r=" + r + ": X_" + l + "[" + j + "] ignores input token " + t);
                    }
                }
            }
        }
    }

    @Test
    void causalLevelsShorterThanOneBlockAreEmpty() {
        Tensor x = randn(1, 2, 5, 3).requiresGrad(true);
        List<Tensor> xs = Downsampling.pyramid(x, null, null, Decomposition.AVG_POOL, 4, 2, 3, true);
        assertArrayEquals(new long[] {2, 2, 3}, xs.get(1).shape());
        assertArrayEquals(new long[] {2, 1, 3}, xs.get(2).shape());
        assertArrayEquals(new long[] {2, 0, 3}, xs.get(3).shape());
        assertTrue(Downsampling.isEmpty(xs.get(3)));
        assertFalse(Downsampling.isEmpty(xs.get(2)));
        // n < r at the input: every coarser level is empty, and non-empty levels still differentiate.
        Tensor tiny = randn(2, 1, 1, 3);
        List<Tensor> w = weights(1, Decomposition.CONV, 2, 3, 3, DataType.DOUBLE);
        List<Tensor> ys = Downsampling.pyramid(tiny, w, null, Decomposition.CONV, 3, 2, 3, true);
        assertArrayEquals(new long[] {1, 0, 3}, ys.get(1).shape());
        assertArrayEquals(new long[] {1, 0, 3}, ys.get(2).shape());
        xs.get(2).sum().backward();
        // X_2 is the mean of the first four tokens: each gets 1/4, the incomplete block's token 4 gets 0.
        for (int t = 0; t < 5; t++) assertEquals(t < 4 ? 0.25 : 0.0, x.grad().getDouble(1, t, 2), 1e-15, "token " + t);
    }

    @Test
    void nonCausalPoolingAveragesThePartialTailBlock() {
        double[] v = {1, 2, 3, 4, 5, 6, 7};
        Tensor x = Tensor.of(v, 1, 7, 1);
        Tensor avg = Downsampling.downsample(x, null, null, Decomposition.AVG_POOL, 3, 3, false);
        assertArrayEquals(new double[] {2, 5, 7}, avg.value().dup().data().asDouble(), 0.0);
        Tensor max = Downsampling.downsample(x.neg(), null, null, Decomposition.MAX_POOL, 3, 3, false);
        assertArrayEquals(new double[] {-1, -4, -7}, max.value().dup().data().asDouble(), 0.0);
        Tensor causalAvg = Downsampling.downsample(x, null, null, Decomposition.AVG_POOL, 3, 3, true);
        assertArrayEquals(new double[] {2, 5}, causalAvg.value().dup().data().asDouble(), 0.0);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (Decomposition mode : Decomposition.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                int n = 7;
                int d = 3;
                int r = causal ? 2 : 3;
                Tensor x = randn(11, 2, n, d).requiresGrad(true);
                if (mode.hasWeights()) {
                    Tensor w = weights(12, mode, 1, d, 3, DataType.DOUBLE).get(0).requiresGrad(true);
                    Tensor b = biases(13, mode, 1, d, DataType.DOUBLE).get(0).requiresGrad(true);
                    GradCheck.Report rep = GradCheck.check(in -> Downsampling.downsample(in[0], in[1], in[2], mode, r, 3, causal), x, w, b);
                    assertTrue(rep.passed(), mode + " causal=" + causal + ": " + rep);
                } else {
                    GradCheck.Report rep = GradCheck.check(in -> Downsampling.downsample(in[0], null, null, mode, r, 3, causal), x);
                    assertTrue(rep.passed(), mode + " causal=" + causal + ": " + rep);
                }
                // The whole pyramid, two levels deep.
                List<Tensor> ws = weights(14, mode, 2, d, 3, DataType.DOUBLE);
                List<Tensor> bs = biases(15, mode, 2, d, DataType.DOUBLE);
                Tensor x2 = randn(16, 1, 11, d).requiresGrad(true);
                GradCheck.Report rep = GradCheck.check(in -> Tensor.concat(1,
                        Downsampling.pyramid(in[0], ws, bs, mode, 3, 2, 3, causal).toArray(new Tensor[0])), x2);
                assertTrue(rep.passed(), mode + " causal=" + causal + " pyramid: " + rep);
            }
        }
    }

    @Test
    void float32Works() {
        for (Decomposition mode : Decomposition.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                Tensor x64 = randn(21, 2, 37, 4);
                List<Tensor> w64 = weights(22, mode, 3, 4, 3, DataType.DOUBLE);
                List<Tensor> b64 = biases(23, mode, 3, 4, DataType.DOUBLE);
                List<Tensor> w32 = w64 == null ? null : w64.stream().map(t -> t.cast(DataType.FLOAT)).toList();
                List<Tensor> b32 = b64 == null ? null : b64.stream().map(t -> t.cast(DataType.FLOAT)).toList();
                List<Tensor> y64 = Downsampling.pyramid(x64, w64, b64, mode, 4, 2, 3, causal);
                List<Tensor> y32 = Downsampling.pyramid(x64.cast(DataType.FLOAT), w32, b32, mode, 4, 2, 3, causal);
                for (int l = 0; l < 4; l++) {
                    assertEquals(DataType.FLOAT, y32.get(l).dtype());
                    Close.assertClose(mode + " float32 level " + l, y64.get(l).value(), y32.get(l).value(), 1e-5);
                }
            }
        }
    }

    @Test
    void pyramidOfOneScaleIsTheInput() {
        Tensor x = randn(1, 1, 4, 2);
        List<Tensor> xs = Downsampling.pyramid(x, List.of(), List.of(), Decomposition.CONV, 1, 2, 3, false);
        assertEquals(1, xs.size());
        assertSame(x, xs.get(0));
        assertNull(Downsampling.pyramid(x, null, null, Decomposition.MAX_POOL, 2, 2, 3, false).get(1).grad());
    }

    @Test
    void rejectsBadInput() {
        Tensor x = randn(1, 2, 8, 4);
        Tensor w = randn(2, 4, 4, 3);
        assertMessage("downsample: CONV weight must be [4, 4, 3]", () -> Downsampling.downsample(x, randn(3, 4, 4, 5), null,
                Decomposition.CONV, 2, 3, false));
        assertMessage("downsample: DEPTHWISE weight must be [4, 1, 3]", () -> Downsampling.downsample(x, w, null,
                Decomposition.DEPTHWISE, 2, 3, false));
        assertMessage("downsample: CONV needs a weight", () -> Downsampling.downsample(x, null, null, Decomposition.CONV, 2, 3, false));
        assertMessage("downsample: MAX_POOL has no parameters", () -> Downsampling.downsample(x, w, null, Decomposition.MAX_POOL, 2, 3, false));
        assertMessage("downsample: kernel k (4) must be odd when non-causal", () -> Downsampling.downsample(x, randn(3, 4, 4, 4), null,
                Decomposition.CONV, 2, 4, false));
        assertMessage("downsample: ratio r (1) must be >= 2", () -> Downsampling.downsample(x, w, null, Decomposition.CONV, 1, 3, false));
        assertMessage("downsample: input must be [B, n, d] (rank 3), got [8, 4]", () -> Downsampling.downsample(randn(4, 8, 4), w, null,
                Decomposition.CONV, 2, 3, false));
        assertMessage("downsample: bias must be [4]", () -> Downsampling.downsample(x, w, randn(5, 3), Decomposition.CONV, 2, 3, false));
        assertMessage("pyramid: CONV needs 2 weights", () -> Downsampling.pyramid(x, List.of(w), null, Decomposition.CONV, 3, 2, 3, false));
        // a causal even kernel is fine: left padding k − r
        assertEquals(4, Downsampling.downsample(x, randn(6, 4, 4, 4), null, Decomposition.CONV, 2, 4, true).size(1));
    }

    // ------------------------------------------------------------------ helpers

    static void assertMessage(String start, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), "message '" + e.getMessage() + "' should start with '" + start + "'");
    }

    /** Every level of the causal pyramid, upsampled back to n. */
    static List<INDArray> upsampledPyramid(Tensor x, List<Tensor> w, List<Tensor> b, Decomposition mode, int scales, int r, int k) {
        try (NoGrad off = NoGrad.enter()) {
            int n = (int) x.size(1);
            List<Tensor> xs = Downsampling.pyramid(x, w, b, mode, scales, r, k, true);
            List<INDArray> out = new ArrayList<>();
            for (int l = 0; l < scales; l++) out.add(Upsampling.upsample(xs.get(l), 1, n, l, r, true).value());
            return out;
        }
    }

    /** The decomposition written out element by element (spec §1). */
    static double[][][] direct(double[][][] x, INDArray w, INDArray bias, Decomposition mode, int r, int k, boolean causal) {
        int b = x.length;
        int n = x[0].length;
        int d = x[0][0].length;
        int nl = causal ? n / r : (n + r - 1) / r;
        double[][][] out = new double[b][nl][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < nl; j++) {
                for (int o = 0; o < d; o++) {
                    double acc;
                    if (mode.hasWeights()) {
                        int start = j * r - (causal ? Math.max(0, k - r) : k / 2);
                        acc = bias == null ? 0 : bias.getDouble(o);
                        for (int t = 0; t < k; t++) {
                            int pos = start + t;
                            if (pos < 0 || pos >= n) continue;
                            if (causal) assertTrue(pos <= (j + 1) * r - 1, "tap beyond the block");
                            if (mode == Decomposition.CONV) {
                                for (int c = 0; c < d; c++) acc += w.getDouble(o, c, t) * x[i][pos][c];
                            } else {
                                acc += w.getDouble(o, 0, t) * x[i][pos][o];
                            }
                        }
                    } else {
                        int last = Math.min(j * r + r, n);
                        acc = mode == Decomposition.MAX_POOL ? Double.NEGATIVE_INFINITY : 0;
                        for (int pos = j * r; pos < last; pos++) {
                            acc = mode == Decomposition.MAX_POOL ? Math.max(acc, x[i][pos][o]) : acc + x[i][pos][o];
                        }
                        if (mode == Decomposition.AVG_POOL) acc /= (last - j * r);
                    }
                    out[i][j][o] = acc;
                }
            }
        }
        return out;
    }
}
