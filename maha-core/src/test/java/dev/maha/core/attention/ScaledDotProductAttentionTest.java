package dev.maha.core.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.FlopCounter;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import dev.maha.core.attention.ScaledDotProductAttention.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused attention op: softmax(q kᵀ · scale + M) v with causal, window and key-padding masks,
 * in its full-matrix and blockwise layouts, against a reference composed from engine ops.
 */
class ScaledDotProductAttentionTest {
    private static final double TIGHT = 1e-12;

    // ------------------------------------------------------------------ reference

    /** Whether query j sees key j' by the position rules alone. */
    private static boolean visible(int j, int jp, boolean causal, Integer w) {
        if (causal && jp > j) return false;
        if (w == null) return true;
        return causal ? j - jp < w : Math.abs(j - jp) <= w / 2;
    }

    /**
     * softmax(q kᵀ · scale, masked with −∞) v from engine ops (matmul, maskedFill, softmax,
     * matmul); rows that see no key are set to 0 by a where.
     */
    private static Tensor reference(Tensor q, Tensor k, Tensor v, boolean[][] keyValid, boolean causal, Integer w, double scale) {
        int b = (int) q.size(0);
        int n = (int) q.size(2);
        boolean[] hidden = new boolean[b * n * n];
        boolean[] rowAny = new boolean[b * n];
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < n; j++) {
                for (int jp = 0; jp < n; jp++) {
                    boolean ok = visible(j, jp, causal, w) && (keyValid == null || keyValid[bi][jp]);
                    hidden[(bi * n + j) * n + jp] = !ok;
                    rowAny[bi * n + j] |= ok;
                }
            }
        }
        Tensor hiddenT = Tensor.owning(Nd4j.create(hidden, new long[] {b, 1, n, n}, DataType.BOOL));
        Tensor anyT = Tensor.owning(Nd4j.create(rowAny, new long[] {b, 1, n, 1}, DataType.BOOL));
        Tensor s = q.matmul(k.transpose(2, 3)).mul(scale);
        Tensor p = s.maskedFill(hiddenT, Double.NEGATIVE_INFINITY).softmax(-1);
        p = Tensor.where(anyT, p, Tensor.zeros(q.dtype(), 1));
        return p.matmul(v);
    }

    private static Tensor keyMaskTensor(boolean[][] valid) {
        int b = valid.length;
        int n = valid[0].length;
        boolean[] flat = new boolean[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(valid[i], 0, flat, i * n, n);
        return Tensor.owning(Nd4j.create(flat, new long[] {b, n}, DataType.BOOL));
    }

    /** A pseudo-random padding pattern that leaves at least one valid key per batch element. */
    private static boolean[][] somePadding(int b, int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        boolean[][] valid = new boolean[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) valid[i][j] = rnd.nextDouble() < 0.7;
            valid[i][rnd.nextInt(n)] = true;
        }
        return valid;
    }

    private static Tensor[] qkv(long seed, DataType dt, int b, int h, int n, int dh, int dv) {
        return new Tensor[] {
            Tensor.randn(seed, dt, b, h, n, dh).requiresGrad(true),
            Tensor.randn(seed + 1, dt, b, h, n, dh).requiresGrad(true),
            Tensor.randn(seed + 2, dt, b, h, n, dv).requiresGrad(true)};
    }

    // ------------------------------------------------------------------ (1) dense reference

    static Stream<Arguments> windowedCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int w : new int[] {1, 2, 3, 4, 7, 64}) {
            for (int n : new int[] {1, 2, 5, w - 1, w, w + 1, 3 * w + 2, 50}) {
                if (n < 1 || (w == 64 && n > 64)) continue;
                for (boolean causal : new boolean[] {true, false}) {
                    cases.add(Arguments.of(n, causal, w));
                }
            }
        }
        // Windows of 128 and more: query blocks smaller than the window (64 for w = 128, 100 for w = 200),
        // so a key is seen by up to three blocks.
        for (int w : new int[] {128, 200}) {
            for (int n : new int[] {50, w + 1, 2 * w + 5}) {
                for (boolean causal : new boolean[] {true, false}) {
                    cases.add(Arguments.of(n, causal, w));
                }
            }
        }
        for (int n : new int[] {1, 2, 5, 9, 50}) {
            cases.add(Arguments.of(n, true, null));
            cases.add(Arguments.of(n, false, null));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "n={0} causal={1} window={2}")
    @MethodSource("windowedCases")
    void matchesComposedDenseReferenceWithAndWithoutPadding(int n, boolean causal, Integer w) {
        for (boolean padded : new boolean[] {false, true}) {
            for (boolean forced : new boolean[] {false, true}) {
                if (forced && w == null) continue;
                try (Scope scope = Scope.open()) {
                    Tensor[] in = qkv(10L * n + (w == null ? 0 : w), DataType.DOUBLE, 2, 2, n, 3, 2);
                    Tensor[] ref = qkv(10L * n + (w == null ? 0 : w), DataType.DOUBLE, 2, 2, n, 3, 2);
                    boolean[][] valid = padded ? somePadding(2, n, n * 31L + 7) : null;
                    Options opt = Options.full().causal(causal).window(w);
                    if (forced) opt = opt.forceBlockwise();
                    Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], padded ? keyMaskTensor(valid) : null, opt);
                    Tensor yr = reference(ref[0], ref[1], ref[2], valid, causal, w, 1 / Math.sqrt(3));
                    String what = "n=" + n + " causal=" + causal + " w=" + w + " padded=" + padded + " forced=" + forced;
                    Close.assertClose(what + " output", yr.value(), y.value(), TIGHT);
                    INDArray cot = Nd4j.rand(DataType.DOUBLE, y.shape()).subi(0.5);
                    y.backward(cot);
                    yr.backward(cot);
                    for (int i = 0; i < 3; i++) {
                        Close.assertClose(what + " grad" + i, ref[i].grad(), in[i].grad(), TIGHT);
                    }
                }
            }
        }
    }

    /**
     * The blockwise op reads q, k, v in place when they are head splits of projection outputs (and the
     * query blocks tile n): here the splits of a batch slice, at a non-zero offset in their buffers, against
     * the same values as fresh row-major arrays, for n that the blocks tile and n that they do not.
     */
    @ParameterizedTest(name = "n={0} causal={1}")
    @MethodSource("stridedCases")
    void readsHeadSplitViewsInPlace(int n, boolean causal) {
        try (Scope scope = Scope.open()) {
            Options opt = Options.full().causal(causal).window(128);
            Tensor[] views = new Tensor[3];
            Tensor[] dense = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                INDArray base = Nd4j.rand(DataType.DOUBLE, 3, n, 2, 4).subi(0.5);                 // [B + 1, n, h, d_h]
                INDArray split = base.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)).permute(0, 2, 1, 3);
                views[i] = Tensor.of(split).requiresGrad(true);
                dense[i] = Tensor.of(split.dup('c')).requiresGrad(true);
            }
            Tensor y = ScaledDotProductAttention.apply(views[0], views[1], views[2], opt);
            Tensor yd = ScaledDotProductAttention.apply(dense[0], dense[1], dense[2], opt);
            assertTrue(ScaledDotProductAttention.blockLayout(n, causal, 128) != null, "n=" + n + " must be blockwise");
            Close.assertClose("n=" + n + " output", yd.value(), y.value(), TIGHT);
            INDArray cot = Nd4j.rand(DataType.DOUBLE, y.shape()).subi(0.5);
            y.backward(cot);
            yd.backward(cot);
            for (int i = 0; i < 3; i++) Close.assertClose("n=" + n + " grad" + i, dense[i].grad(), views[i].grad(), TIGHT);
        }
    }

    static Stream<Arguments> stridedCases() {
        return Stream.of(Arguments.of(320, true), Arguments.of(333, true), Arguments.of(320, false), Arguments.of(333, false));
    }

    @Test
    void largeScoresInFloat64StayFiniteAndExact() {
        // Scores in the thousands: a softmax without the max subtraction would overflow, and ND4J's
        // native kernel returns NaN in float64 for such rows.
        Tensor q = Tensor.randn(5, DataType.DOUBLE, 1, 2, 6, 4).mul(40.0);
        Tensor k = Tensor.randn(6, DataType.DOUBLE, 1, 2, 6, 4).mul(40.0);
        Tensor v = Tensor.randn(7, DataType.DOUBLE, 1, 2, 6, 4);
        for (Options o : List.of(Options.full(), Options.causalFull(), Options.causalFull().window(2))) {
            INDArray out = ScaledDotProductAttention.apply(q, k, v, o).value();
            for (double value : out.dup('c').data().asDouble()) assertTrue(Double.isFinite(value), o + ": " + out);
            Tensor scores = q.matmul(k.transpose(-2, -1)).mul(0.5);
            if (o.isCausal()) scores = scores.maskedFill(Tensor.owning(upper(6, o.window())), Double.NEGATIVE_INFINITY);
            Close.assertClose(o.toString(), scores.softmax(-1).matmul(v).value(), out, 1e-12);
        }
    }

    /** BOOL [n, n]: true where key j is invisible to query i (future, or outside a causal window w). */
    private static INDArray upper(int n, Integer w) {
        boolean[] m = new boolean[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i * n + j] = j > i || (w != null && j <= i - w);
        return Nd4j.createFromArray(m).reshape(n, n);
    }

    @Test
    void permutedInputsGiveTheSameResult() {
        Tensor[] in = qkv(3, DataType.DOUBLE, 2, 3, 11, 4, 5);
        for (Options opt : new Options[] {Options.causalFull(), Options.full().window(4), Options.causalFull().window(3)}) {
            // The same values, laid out as [B, n, h, d] and permuted to [B, h, n, d] (non-contiguous views).
            Tensor[] perm = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                INDArray bnhd = in[i].value().permute(0, 2, 1, 3).dup('c');
                perm[i] = Tensor.of(bnhd.permute(0, 2, 1, 3)).requiresGrad(true);
            }
            Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], opt);
            Tensor yp = ScaledDotProductAttention.apply(perm[0], perm[1], perm[2], opt);
            Close.assertClose(opt + " output", y.value(), yp.value(), TIGHT);
            INDArray cot = Nd4j.rand(DataType.DOUBLE, y.shape());
            y.backward(cot);
            yp.backward(cot);
            for (int i = 0; i < 3; i++) {
                Close.assertClose(opt + " grad" + i, in[i].grad(), perm[i].grad(), TIGHT);
                in[i].zeroGrad();
            }
        }
    }

    @Test
    void explicitScaleIsUsed() {
        Tensor[] in = qkv(4, DataType.DOUBLE, 1, 2, 9, 4, 3);
        Tensor[] ref = qkv(4, DataType.DOUBLE, 1, 2, 9, 4, 3);
        Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], Options.causalFull().window(3).scale(0.3));
        Tensor yr = reference(ref[0], ref[1], ref[2], null, true, 3, 0.3);
        Close.assertClose("output", yr.value(), y.value(), TIGHT);
    }

    // ------------------------------------------------------------------ empty rows

    @Test
    void queryThatSeesNoKeyOutputsZeroWithZeroGradient() {
        int n = 6;
        boolean[][] valid = {{false, false, true, true, false, true}, {false, false, false, false, false, false}};
        for (Options opt : new Options[] {Options.causalFull(), Options.causalFull().window(2),
                Options.causalFull().window(2).forceBlockwise(), Options.full(), Options.full().window(3)}) {
            Tensor[] in = qkv(5, DataType.DOUBLE, 2, 2, n, 3, 4);
            Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], keyMaskTensor(valid), opt);
            INDArray out = y.value();
            for (double x : out.dup().data().asDouble()) assertTrue(Double.isFinite(x), opt + ": " + out);
            // Batch 1 has no valid key: every output is 0. Batch 0, causal: queries 0 and 1 see nothing.
            Close.assertAbsClose(opt + " batch 1", Nd4j.zeros(DataType.DOUBLE, 2, n, 4), out.slice(1), 0);
            if (opt.isCausal()) {
                for (int j = 0; j < 2; j++) {
                    for (int hd = 0; hd < 2; hd++) {
                        Close.assertAbsClose(opt + " query " + j, Nd4j.zeros(DataType.DOUBLE, 4),
                                out.slice(0).slice(hd).slice(j), 0);
                    }
                }
            }
            y.backward(Nd4j.ones(DataType.DOUBLE, y.shape()));
            for (int i = 0; i < 3; i++) {
                INDArray g = in[i].grad();
                for (double x : g.dup().data().asDouble()) assertTrue(Double.isFinite(x), opt + " grad" + i);
                Close.assertAbsClose(opt + " grad" + i + " batch 1", Nd4j.zeros(DataType.DOUBLE, g.slice(1).shape()), g.slice(1), 0);
            }
            if (opt.isCausal()) {
                // Queries 0 and 1 of batch 0 see nothing: their q gradient is 0.
                Close.assertAbsClose(opt + " dq of empty queries", Nd4j.zeros(DataType.DOUBLE, 2, 3),
                        in[0].grad().slice(0).slice(0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), 0);
            }
            // Padded keys receive no gradient.
            for (int hd = 0; hd < 2; hd++) {
                for (int jp : new int[] {0, 1, 4}) {
                    assertEquals(0.0, in[1].grad().slice(0).slice(hd).slice(jp).norm1Number().doubleValue(), 0.0, opt + " dk");
                    assertEquals(0.0, in[2].grad().slice(0).slice(hd).slice(jp).norm1Number().doubleValue(), 0.0, opt + " dv");
                }
            }
        }
    }

    // ------------------------------------------------------------------ (2) PyTorch fixture

    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("sdpa_causal", in -> ScaledDotProductAttention.apply(in[0], in[1], in[2], Options.causalFull()));
    }

    // ------------------------------------------------------------------ (3) finite differences

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("full", Options.full()),
                Arguments.of("causal", Options.causalFull()),
                Arguments.of("causal window 3, blockwise", Options.causalFull().window(3)),
                Arguments.of("window 4, blockwise", Options.full().window(4)),
                Arguments.of("causal window 4, full matrix", Options.causalFull().window(4)),
                Arguments.of("window 5, full matrix", Options.full().window(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void gradientMatchesFiniteDifferences(String name, Options opt) {
        int n = name.contains("full matrix") ? 6 : 10;
        Tensor[] in = qkv(6, DataType.DOUBLE, 1, 2, n, 3, 2);
        boolean[][] valid = somePadding(1, n, 99);
        GradCheck.Report r = GradCheck.check(x -> ScaledDotProductAttention.apply(x[0], x[1], x[2], opt), in);
        assertTrue(r.passed(), name + ": " + r);
        Tensor mask = keyMaskTensor(valid);
        GradCheck.Report rm = GradCheck.check(x -> ScaledDotProductAttention.apply(x[0], x[1], x[2], mask, opt), in);
        assertTrue(rm.passed(), name + " with key mask: " + rm);
    }

    @Test
    void layoutIsBlockwiseOnlyWhenItComputesFewerEntries() {
        assertTrue(ScaledDotProductAttention.Layout.of(10, true, 3, false).blockwise());
        assertTrue(ScaledDotProductAttention.Layout.of(10, false, 4, false).blockwise());
        assertTrue(!ScaledDotProductAttention.Layout.of(6, true, 4, false).blockwise());
        assertTrue(!ScaledDotProductAttention.Layout.of(6, false, 5, false).blockwise());
        assertTrue(!ScaledDotProductAttention.Layout.of(6, false, 11, false).banded(), "a window covering everything is no mask");
        assertTrue(ScaledDotProductAttention.Layout.of(4096, true, 128, false).blockwise());
    }

    // ------------------------------------------------------------------ (4) causality

    @Test
    void futureTokensNeverChangeThePast() {
        int n = 23;
        for (Options opt : new Options[] {Options.causalFull(), Options.causalFull().window(4),
                Options.causalFull().window(5).forceBlockwise(), Options.causalFull().window(16)}) {
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                Tensor[] in = qkv(7, dt, 2, 2, n, 4, 3);
                INDArray y = ScaledDotProductAttention.apply(in[0], in[1], in[2], opt).value();
                for (int t : new int[] {0, 3, 4, 11, 21}) {
                    Tensor[] changed = new Tensor[3];
                    for (int i = 0; i < 3; i++) {
                        INDArray c = in[i].value().dup();
                        INDArray future = c.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(t + 1, n), org.nd4j.linalg.indexing.NDArrayIndex.all());
                        future.assign(Nd4j.rand(dt, future.shape()).muli(100).subi(50));
                        changed[i] = Tensor.of(c);
                    }
                    INDArray y2 = ScaledDotProductAttention.apply(changed[0], changed[1], changed[2], opt).value();
                    INDArray past = y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t + 1), org.nd4j.linalg.indexing.NDArrayIndex.all());
                    INDArray past2 = y2.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t + 1), org.nd4j.linalg.indexing.NDArrayIndex.all());
                    assertArrayEquals(past.dup().data().asDouble(), past2.dup().data().asDouble(), 0.0, opt + " " + dt + " t=" + t);
                }
            }
        }
    }

    // ------------------------------------------------------------------ (5) FLOPs

    private static long[] flops(int n, Options opt) {
        try (Scope scope = Scope.open(); FlopCounter fc = FlopCounter.open()) {
            Tensor[] in = qkv(8, DataType.FLOAT, 1, 1, n, 8, 8);
            Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], opt);
            y.backward(Nd4j.ones(DataType.FLOAT, y.shape()));
            return new long[] {fc.forward(), fc.backward()};
        }
    }

    @Test
    void windowedCostGrowsLinearlyAndDenseQuadratically() {
        Options windowed = Options.causalFull().window(32);
        long[] w256 = flops(256, windowed);
        long[] w512 = flops(512, windowed);
        long[] d256 = flops(256, Options.causalFull());
        long[] d512 = flops(512, Options.causalFull());
        double windowedRatio = (double) (w512[0] + w512[1]) / (w256[0] + w256[1]);
        double denseRatio = (double) (d512[0] + d512[1]) / (d256[0] + d256[1]);
        assertEquals(2.0, windowedRatio, 0.02, "windowed n 512 / 256");
        assertEquals(4.0, denseRatio, 0.05, "dense n 512 / 256");
        // Forward: 2·e·d (scores) + 2 mask passes + 5·e (softmax) + 2·e·d (P·V) + n·d (scaling q).
        long e = ScaledDotProductAttention.scoreEntries(512, true, 32);
        assertEquals(16L * 32 * 63, e);
        assertEquals(2 * e * 8 + 2 * e + 5 * e + 2 * e * 8 + 512 * 8, w512[0]);
        long ed = ScaledDotProductAttention.scoreEntries(512, true, null);
        assertEquals(2 * ed * 8 + ed + 5 * ed + 2 * ed * 8 + 512 * 8, d512[0]);
        assertTrue(w512[1] > w512[0] && d512[1] > d512[0], "backward does more work than forward");
    }

    @Test
    void scoreEntriesCountWhatEachLayoutComputes() {
        assertEquals(4096L * 4096, ScaledDotProductAttention.denseEquivalentEntries(4096));
        assertEquals(4096L * 4096, ScaledDotProductAttention.scoreEntries(4096, false, null));
        assertEquals(4096L * 4096, ScaledDotProductAttention.scoreEntries(4096, true, null));
        assertEquals(64L * 64 * 191, ScaledDotProductAttention.scoreEntries(4096, true, 128));     // blocks of 64, span c + w − 1
        assertEquals(64L * 64 * 192, ScaledDotProductAttention.scoreEntries(4096, false, 128));    // span c + 2⌊w/2⌋
        assertEquals(16L * 128 * 383, ScaledDotProductAttention.scoreEntries(2048, true, 256));    // w = 256: blocks of 128
        assertEquals(32L * 64 * 127, ScaledDotProductAttention.scoreEntries(2048, true, 64));      // w < 128: blocks of w, span 2w − 1
        assertEquals(new ScaledDotProductAttention.BlockLayout(64, 64, 191), ScaledDotProductAttention.blockLayout(4096, true, 128));
        assertEquals(null, ScaledDotProductAttention.blockLayout(4096, true, null));
        assertEquals(4000L, ScaledDotProductAttention.scoreEntries(4000, true, 1));
        assertEquals(4000L, ScaledDotProductAttention.scoreEntries(4000, false, 1));
        assertEquals(3L * 10 * 19, ScaledDotProductAttention.scoreEntries(25, true, 10));          // 570 < 625
        assertEquals(25L, ScaledDotProductAttention.scoreEntries(5, true, 4));                     // blocks would be 56
        assertEquals(100L, ScaledDotProductAttention.scoreEntries(10, true, 64));                  // window covers all
        assertEquals(0L, ScaledDotProductAttention.scoreEntries(0, true, 8));
    }

    // ------------------------------------------------------------------ (6) float32

    @Test
    void float32MatchesFloat64() {
        for (Options opt : new Options[] {Options.full(), Options.causalFull(), Options.causalFull().window(4), Options.full().window(5)}) {
            Tensor[] d = qkv(9, DataType.DOUBLE, 2, 2, 19, 8, 4);
            Tensor[] f = new Tensor[3];
            for (int i = 0; i < 3; i++) f[i] = Tensor.of(d[i].value().castTo(DataType.FLOAT)).requiresGrad(true);
            Tensor mask = keyMaskTensor(somePadding(2, 19, 5));
            Tensor yd = ScaledDotProductAttention.apply(d[0], d[1], d[2], mask, opt);
            Tensor yf = ScaledDotProductAttention.apply(f[0], f[1], f[2], mask, opt);
            assertEquals(DataType.FLOAT, yf.dtype());
            Close.assertClose(opt + " float32 output", yd.value(), yf.value(), 1e-5);
            INDArray cot = Nd4j.rand(DataType.DOUBLE, yd.shape());
            yd.backward(cot);
            yf.backward(cot.castTo(DataType.FLOAT));
            for (int i = 0; i < 3; i++) {
                assertEquals(DataType.FLOAT, f[i].grad().dataType());
                Close.assertClose(opt + " float32 grad" + i, d[i].grad(), f[i].grad(), 1e-4);
            }
        }
    }

    // ------------------------------------------------------------------ (7) bad input

    @Test
    void badInputIsRejectedNamingTheOpAndShapes() {
        Tensor q = Tensor.randn(1, DataType.FLOAT, 2, 3, 5, 4);
        Tensor k = Tensor.randn(2, DataType.FLOAT, 2, 3, 5, 4);
        Tensor v = Tensor.randn(3, DataType.FLOAT, 2, 3, 5, 6);
        Options o = Options.full();
        assertMessage(() -> ScaledDotProductAttention.apply(q, Tensor.randn(4, DataType.FLOAT, 2, 3, 6, 4), v, o),
                "sdpa", "[2, 3, 6, 4]", "n");
        assertMessage(() -> ScaledDotProductAttention.apply(q, Tensor.randn(4, DataType.FLOAT, 2, 3, 5, 3), v, o),
                "sdpa", "d_h", "[2, 3, 5, 3]");
        assertMessage(() -> ScaledDotProductAttention.apply(q.reshape(6, 5, 4), k, v, o), "sdpa", "[6, 5, 4]");
        assertMessage(() -> ScaledDotProductAttention.apply(q, k, Tensor.randn(4, DataType.FLOAT, 2, 2, 5, 6), o),
                "sdpa", "[2, 2, 5, 6]");
        assertMessage(() -> ScaledDotProductAttention.apply(q, k, v, Tensor.owning(Nd4j.ones(DataType.BOOL, 2, 4)), o),
                "sdpa", "key mask", "[2, 5]", "[2, 4]");
        assertMessage(() -> ScaledDotProductAttention.apply(q, k, v, Tensor.owning(Nd4j.ones(DataType.FLOAT, 2, 5)), o),
                "sdpa", "key mask", "BOOL", "FLOAT");
        assertMessage(() -> o.window(0), "sdpa", "window", "0");
        assertMessage(() -> o.window(-3), "sdpa", "window", "-3");
        assertMessage(() -> o.scale(Double.NaN), "sdpa", "scale", "NaN");
        assertMessage(() -> ScaledDotProductAttention.scoreEntries(10, true, 0), "sdpa", "window");
        assertMessage(() -> ScaledDotProductAttention.apply(q, k, v, null), "sdpa", "options");
        assertMessage(() -> ScaledDotProductAttention.apply(q, k.cast(DataType.DOUBLE), v, o), "sdpa", "DOUBLE");
        assertNull(Options.full().window());
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void emptySequenceGivesEmptyOutputAndGradients() {
        Tensor[] in = qkv(10, DataType.FLOAT, 2, 2, 0, 4, 3);
        Tensor y = ScaledDotProductAttention.apply(in[0], in[1], in[2], Options.causalFull().window(4));
        assertArrayEquals(new long[] {2, 2, 0, 3}, y.shape());
        y.backward(Nd4j.create(DataType.FLOAT, 2, 2, 0, 3));
        assertArrayEquals(new long[] {2, 2, 0, 4}, in[0].grad().shape());
    }

    // ------------------------------------------------------------------ (8) memory

    static Stream<Arguments> memoryCases() {
        return Stream.of(
                Arguments.of("dense causal n=256", 256, Options.causalFull()),
                Arguments.of("windowed causal n=1024 w=64", 1024, Options.causalFull().window(64)),
                Arguments.of("windowed n=1000 w=64 with key mask", 1000, Options.full().window(64)));
    }

    /**
     * 120 steps of (attention, backward) in a scope, with 1-2 MB of probabilities per step (B=1, h=4,
     * float32): a leaked probability buffer per step would grow resident memory by 100-200 MB in 100
     * steps; the bound is 40 MB. ND4J leaves 0.2-0.4 MB of Java garbage per call, which grows the
     * resident Java heap until the collector runs; a full collection before each reading keeps that
     * out of the figure, so it measures the native buffers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("memoryCases")
    void residentMemoryStaysFlat(String name, int n, Options opt) {
        Tensor[] in = qkv(11, DataType.FLOAT, 1, 4, n, 32, 32);
        Tensor mask = name.contains("mask") ? keyMaskTensor(somePadding(1, n, 3)) : null;
        Function<Tensor[], Tensor> f = x -> ScaledDotProductAttention.apply(x[0], x[1], x[2], mask, opt);
        long start = 0;
        for (int step = 0; step < 120; step++) {
            try (Scope scope = Scope.open()) {
                f.apply(in).sum().backward();
            }
            for (Tensor t : in) t.zeroGrad();
            if (step == 19) {
                System.gc();
                start = Pointer.physicalBytes();
            }
        }
        System.gc();
        long growth = Pointer.physicalBytes() - start;
        for (Tensor t : in) t.close();
        assertTrue(growth < 40L << 20, name + ": resident memory grew by " + growth / (1 << 20) + " MB in 100 steps");
    }
}
