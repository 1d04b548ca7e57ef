package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.assertPrefixBitIdentical;
import static dev.maha.core.maha.PyramidTesting.cuts;
import static dev.maha.core.maha.PyramidTesting.futureChanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.nn.ParameterGradCheck;
import dev.maha.core.model.SequenceBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HybridBlockTest {
    private static final int D = 16;
    private static final int H = 4;
    private static final int L = 3;

    // ------------------------------------------------------------------ parity with the reference code

    @Test
    void referenceSoftmaxBlockReproducesPyTorch() {
        assertReproducesReference("", Aggregation.REFERENCE_SOFTMAX);
    }

    @Test
    void referenceConsensusBlockReproducesPyTorch() {
        assertReproducesReference("nash/", Aggregation.REFERENCE_CONSENSUS);
    }

    @Test
    void stateDictNamesAreTheReferenceNames() {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        for (String p : new String[] {"", "nash/"}) {
            HybridBlock block = referenceBlock(p.isEmpty() ? Aggregation.REFERENCE_SOFTMAX : Aggregation.REFERENCE_CONSENSUS);
            List<String> expected = new ArrayList<>(parameterNames(fx, p));
            List<String> actual = new ArrayList<>(block.stateDict().keySet());
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, p + "param_names");
            for (String name : parameterNames(fx, p)) {
                assertEquals(Arrays.toString(fx.get(p + name).shape()), Arrays.toString(block.stateDict().get(name).shape()), name);
            }
        }
    }

    // ------------------------------------------------------------------ causality

    /**
     * Every causal aggregation (MEAN, CONVEX, NASH), every decomposition mode, gating on and off, windows on
     * and off, r = 2 and 3, and every n in 1..70: for each n, four blocks are run, one per decomposition mode,
     * whose other settings rotate with n so that at every n every value of every factor is tested (asserted
     * below), and every combination of the factors is tested at several n. Each run checks every cut t at once
     * (row t of the batch changes the tokens after t). Two blocks also run at every n.
     */
    @Test
    void futureTokensNeverChangeThePast() {
        Map<String, HybridBlock> blocks = new HashMap<>();
        Map<String, java.util.Set<Integer>> covered = new HashMap<>();
        Aggregation[] modes = {Aggregation.MEAN, Aggregation.CONVEX, Aggregation.NASH};
        Decomposition[] decs = Decomposition.values();
        try (NoGrad off = NoGrad.enter()) {
            for (int n = 1; n <= 70; n++) {
                List<Object[]> runs = new ArrayList<>();
                for (int k = 0; k < decs.length; k++) {
                    int m = n + k;
                    runs.add(new Object[] {modes[m % 3], decs[k], m % 2 == 1, (m / 2) % 2 == 1, (m / 4) % 2 == 0 ? 2 : 3});
                }
                runs.add(new Object[] {Aggregation.NASH, Decomposition.CONV, true, true, 3});
                runs.add(new Object[] {Aggregation.CONVEX, Decomposition.DEPTHWISE, false, true, 2});
                for (Object[] run : runs) {
                    Aggregation mode = (Aggregation) run[0];
                    Decomposition dec = (Decomposition) run[1];
                    boolean gating = (Boolean) run[2];
                    boolean windows = (Boolean) run[3];
                    int r = (Integer) run[4];
                    String key = mode + " " + dec + " r=" + r + (gating ? " gated" : "") + (windows ? " windowed" : "");
                    HybridBlock block = blocks.computeIfAbsent(key, kk -> causalBlock(mode, dec, gating, windows, r, blocks.size()));
                    try (Scope scope = Scope.open()) {
                        Tensor[] xs = futureChanged(1000L * blocks.size() + n, n, 8);
                        INDArray base = block.forward(xs[0], null).output().value();
                        INDArray changed = block.forward(xs[1], null).output().value();
                        assertPrefixBitIdentical(key + " n=" + n, base, changed, cuts(n));
                    }
                    for (String factor : new String[] {"mode=" + mode, "dec=" + dec, "gating=" + gating, "windows=" + windows, "r=" + r}) {
                        covered.computeIfAbsent(factor, kk -> new java.util.HashSet<>()).add(n);
                    }
                }
            }
        }
        assertEquals(3 + 4 + 2 + 2 + 2, covered.size(), covered.keySet().toString());
        for (Map.Entry<String, java.util.Set<Integer>> e : covered.entrySet()) assertEquals(70, e.getValue().size(), e.getKey());
        assertEquals(3 * 4 * 2 * 2 * 2, blocks.size(), "every combination of the factors ran");
    }

    private static HybridBlock causalBlock(Aggregation mode, Decomposition dec, boolean gating, boolean windows, int r, int seed) {
        MahaConfig.Builder b = MahaConfig.builder().width(8).heads(2).scales(3).ratio(r).causal(true).aggregation(mode)
                .decomposition(dec).gating(gating).ffnWidth(8).rotary(windows && gating)
                .dilatedConv(dec == Decomposition.CONV ? MahaConfig.DilatedConv.FULL : MahaConfig.DilatedConv.DEPTHWISE)
                .seed(seed);
        if (windows) b.windows(3, 2, MahaConfig.FULL);
        HybridBlock block = new HybridBlock(b.build(), DataType.DOUBLE);
        block.eval();
        return block;
    }

    // ------------------------------------------------------------------ gradients

    /**
     * A tiny float64 block (d = 4, h = 2, L = 2 or 3, n = 6) in every aggregation mode, causal and not (the
     * reference modes only non-causal), with the decomposition, gating and windows varied: the input gradient
     * element by element ({@link GradCheck}), every parameter tensor along random directions
     * ({@link BlockTesting#assertDirectionalGradients}); one causal configuration also element by element
     * ({@link ParameterGradCheck}).
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        int index = 0;
        for (Aggregation mode : Aggregation.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && !mode.causalSafe()) continue;
                boolean reference = !mode.causalSafe();
                MahaConfig.Builder b = MahaConfig.builder().width(4).heads(2).scales(index % 2 == 0 ? 3 : 2).ratio(2)
                        .causal(causal).aggregation(mode).ffnWidth(4).preNorm(!reference).outputProjection(!reference)
                        .decomposition(index % 2 == 0 ? Decomposition.CONV : Decomposition.DEPTHWISE)
                        .dilatedConv(index % 2 == 0 ? MahaConfig.DilatedConv.FULL : MahaConfig.DilatedConv.DEPTHWISE)
                        .gating(index % 3 == 1).rotary(index == 5).seed(7 + index);
                if (index % 4 == 3) b.windows(index % 2 == 0 ? new Integer[] {2, 2, null} : new Integer[] {3, null});
                MahaConfig cfg = b.build();
                HybridBlock block = new HybridBlock(cfg, DataType.DOUBLE);
                block.eval();
                String what = mode + (causal ? " causal" : " non-causal") + " (" + cfg + ")";
                Tensor x = Tensor.randn(50 + index, DataType.DOUBLE, 1, 6, 4).requiresGrad(true);
                GradCheck.Report report = GradCheck.check(in -> block.forward(in[0], null).output(), x);
                assertTrue(report.passed(), what + ": input gradient " + report);
                Tensor fixed = x.detach();
                BlockTesting.assertDirectionalGradients(what, block, () -> block.forward(fixed, null).output(), 100 + index);
                if (index == 3) {
                    try {
                        ParameterGradCheck.assertGradientsMatchFiniteDifferences(block, () -> block.forward(fixed, null).output());
                    } catch (AssertionError e) {
                        throw new AssertionError(what + ": " + e.getMessage(), e);
                    }
                }
                index++;
            }
        }
        assertEquals(8, index);
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void everyLengthWorksForTheWholeBlock() {
        MahaConfig cfg = MahaConfig.builder().width(4).heads(2).scales(4).ratio(2).causal(true).windows(3, 3, 3, null)
                .aggregation(Aggregation.NASH).ffnWidth(4).build();
        HybridBlock block = new HybridBlock(cfg, DataType.FLOAT);
        block.eval();
        try (NoGrad off = NoGrad.enter()) {
            for (int n = 1; n <= 40; n++) {
                try (Scope scope = Scope.open()) {
                    INDArray y = block.forward(Tensor.randn(n, DataType.FLOAT, 2, n, 4), null).output().value();
                    assertEquals(Arrays.toString(new long[] {2, n, 4}), Arrays.toString(y.shape()), "n=" + n);
                    assertTrue(Double.isFinite(y.sumNumber().doubleValue()), "n=" + n + ": non-finite output");
                }
            }
        }
    }

    // ------------------------------------------------------------------ padding and bad input

    @Test
    void paddedContentNeverReachesRealPositions() {
        int d = 8;
        int n = 11;
        boolean[] valid = new boolean[2 * n];
        for (int t = 0; t < n; t++) {
            valid[t] = t < 7;                       // row 0: right padding
            valid[n + t] = t != 3 && t != 4;        // row 1: a hole
        }
        Tensor keyValid = Tensor.owning(Nd4j.create(valid, new long[] {2, n}, DataType.BOOL));
        for (Aggregation mode : Aggregation.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && !mode.causalSafe()) continue;
                MahaConfig cfg = MahaConfig.builder().width(d).heads(2).scales(3).ratio(2).causal(causal).aggregation(mode)
                        .ffnWidth(8).gating(mode == Aggregation.NASH).preNorm(mode.causalSafe()).build();
                HybridBlock block = new HybridBlock(cfg, DataType.DOUBLE);
                block.eval();
                try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
                    INDArray a = Tensor.randn(3, DataType.DOUBLE, 2, n, d).value();
                    INDArray b = a.dup();
                    INDArray noise = Nd4j.rand(DataType.DOUBLE, 2, n, d).muli(5);
                    for (int i = 0; i < 2; i++) {
                        for (int t = 0; t < n; t++) {
                            if (!valid[i * n + t]) b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                                    org.nd4j.linalg.indexing.NDArrayIndex.point(t)).assign(noise.get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(t)));
                        }
                    }
                    double[] ya = block.forward(Tensor.of(a), keyValid).output().toDoubleArray();
                    double[] yb = block.forward(Tensor.of(b), keyValid).output().toDoubleArray();
                    for (int i = 0; i < 2; i++) {
                        for (int t = 0; t < n; t++) {
                            if (!valid[i * n + t]) continue;
                            for (int c = 0; c < d; c++) {
                                int at = (i * n + t) * d + c;
                                assertEquals(ya[at], yb[at], 0.0, mode + (causal ? " causal" : "") + ": padded content reached ["
                                        + i + ", " + t + ", " + c + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void badInputNamesTheTensorAndShapes() {
        MahaConfig cfg = MahaConfig.builder().width(16).heads(4).scales(3).ratio(2).build();
        HybridBlock block = new HybridBlock(cfg, DataType.FLOAT);
        SequenceBlock asBlock = block;
        Tensor x = Tensor.zeros(DataType.FLOAT, 2, 5, 16);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> asBlock.forward(Tensor.zeros(DataType.FLOAT, 2, 5, 8), null));
        assertTrue(e.getMessage().contains("HybridBlock") && e.getMessage().contains("input x")
                && e.getMessage().contains("[B, n, 16]") && e.getMessage().contains("[2, 5, 8]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(Tensor.zeros(DataType.FLOAT, 5, 16), null));
        assertTrue(e.getMessage().contains("input x") && e.getMessage().contains("[5, 16]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(Tensor.zeros(DataType.FLOAT, 2, 0, 16), null));
        assertTrue(e.getMessage().contains("input x") && e.getMessage().contains("n = 0"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(Tensor.zeros(DataType.DOUBLE, 2, 5, 16), null));
        assertTrue(e.getMessage().contains("input x") && e.getMessage().contains("DOUBLE") && e.getMessage().contains("FLOAT"),
                e.getMessage());

        Tensor shortMask = Tensor.owning(Nd4j.create(new boolean[8], new long[] {2, 4}, DataType.BOOL));
        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(x, shortMask));
        assertTrue(e.getMessage().contains("keyValid") && e.getMessage().contains("[2, 5]") && e.getMessage().contains("[2, 4]"),
                e.getMessage());

        Tensor floatMask = Tensor.ones(DataType.FLOAT, 2, 5);
        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(x, floatMask));
        assertTrue(e.getMessage().contains("keyValid") && e.getMessage().contains("BOOL"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> asBlock.forward(null, null));
        assertTrue(e.getMessage().contains("input x"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new HybridBlock(cfg, DataType.INT));
        assertTrue(e.getMessage().contains("HybridBlock") && e.getMessage().contains("INT"), e.getMessage());
    }

    // ------------------------------------------------------------------ structure

    @Test
    void preNormBlockIsTheSpecFormula() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).aggregation(Aggregation.NASH).ffnWidth(12)
                .build();
        HybridBlock block = new HybridBlock(cfg, DataType.DOUBLE);
        block.eval();
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            Tensor x = Tensor.randn(4, DataType.DOUBLE, 2, 9, 8);
            Tensor h = block.norm1().forward(x);
            Tensor c = block.dilatedConv().forwardSequence(h).relu();
            Tensor a = block.attention().forward(c, null).output();
            Tensor x1 = x.add(a);
            Tensor expected = x1.add(block.ffn().forward(block.norm2().forward(x1)));
            SequenceBlock.BlockOutput out = block.forward(x, null);
            Close.assertClose("pre-LN block", expected.value(), out.output().value(), 1e-12);
            assertEquals(0.0, out.aux().item(), 0.0);
        }
        assertEquals(2, block.dilatedConv().padLeft());
        assertEquals(2, block.dilatedConv().padRight());
        HybridBlock causal = new HybridBlock(cfg.toBuilder().causal(true).dilatedConv(MahaConfig.DilatedConv.DEPTHWISE).build());
        assertEquals(4, causal.dilatedConv().padLeft());
        assertEquals(0, causal.dilatedConv().padRight());
        assertEquals(Arrays.toString(new long[] {8, 1, 3}), Arrays.toString(causal.dilatedConv().weight().shape()));
    }

    @Test
    void trainingModeDropsAndEvalModeIsDeterministic() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(2).ratio(2).dropout(0.5).ffnWidth(8).build();
        HybridBlock block = new HybridBlock(cfg, DataType.DOUBLE);
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            Tensor x = Tensor.randn(5, DataType.DOUBLE, 1, 6, 8);
            INDArray t1 = block.forward(x, null).output().value();
            INDArray t2 = block.forward(x, null).output().value();
            assertTrue(t1.sub(t2).norm2Number().doubleValue() > 1e-6, "training-mode dropout draws fresh masks");
            block.eval();
            INDArray e1 = block.forward(x, null).output().value();
            INDArray e2 = block.forward(x, null).output().value();
            assertEquals(0.0, e1.sub(e2).norm2Number().doubleValue(), 0.0);
        }
    }

    @Test
    void gatingAndOutputProjectionHaveTheirOwnNames() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).gating(true).aggregation(Aggregation.CONVEX)
                .decomposition(Decomposition.DEPTHWISE).build();
        Map<String, INDArray> state = new HybridBlock(cfg).stateDict();
        for (String name : new String[] {"attention.gates.0.weight", "attention.gates.1.bias", "attention.out_proj.weight",
                "aggregation.utility_weight", "aggregation.utility_bias", "decomposition.downsamplers.1.weight"}) {
            assertTrue(state.containsKey(name), name + " in " + state.keySet());
        }
        assertEquals(Arrays.toString(new long[] {8, 16}), Arrays.toString(state.get("attention.gates.0.weight").shape()));
        assertEquals(Arrays.toString(new long[] {3, 2, 4}), Arrays.toString(state.get("aggregation.utility_weight").shape()));
        assertEquals(Arrays.toString(new long[] {8, 1, 3}), Arrays.toString(state.get("decomposition.downsamplers.1.weight").shape()));
        assertNull(state.get("attention.decomposition.downsamplers.0.weight"));
        Map<String, INDArray> pooled = new HybridBlock(cfg.toBuilder().decomposition(Decomposition.MAX_POOL).build()).stateDict();
        assertTrue(pooled.keySet().stream().noneMatch(k -> k.startsWith("decomposition.")), pooled.keySet().toString());
    }

    private static void assertReproducesReference(String p, Aggregation mode) {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        HybridBlock block = referenceBlock(mode);
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (String name : parameterNames(fx, p)) state.put(name, fx.get(p + name));
        block.loadStateDict(state);
        block.eval();
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.of(fx.get(p + "x").dup()).requiresGrad(true);
            Map<String, Tensor> trace = new HashMap<>();
            HybridBlock.Detailed out = block.forwardDetailed(x, null, trace);
            Close.assertClose(p + "y", fx.get(p + "y"), out.output().value(), 1e-9);
            Close.assertClose(p + "aux", fx.get(p + "aux"), out.aux().value(), 1e-9);
            Close.assertClose(p + "act.x_conv", fx.get(p + "act.x_conv"), trace.get("x_conv").value(), 1e-9);
            for (int l = 0; l < L; l++) {
                for (String a : new String[] {"scale.", "v.", "attn.", "up."}) {
                    Close.assertClose(p + "act." + a + l, fx.get(p + "act." + a + l), trace.get(a + l).value(), 1e-9);
                }
            }
            Close.assertClose(p + "act.weights", fx.get(p + "act.weights"), trace.get("weights").value(), 1e-9);
            Close.assertClose(p + "act.agg", fx.get(p + "act.agg"), trace.get("agg").value(), 1e-9);
            Close.assertClose(p + "act.h1", fx.get(p + "act.h1"), trace.get("h1").value(), 1e-9);

            block.zeroGrad();
            out.output().backward(fx.get(p + "cot"));
            Close.assertClose(p + "grad.x", fx.get(p + "grad.x"), x.grad(), 1e-9);
            Map<String, Tensor> params = block.namedParameters();
            for (String name : parameterNames(fx, p)) {
                INDArray expected = fx.get(p + "grad." + name);
                INDArray g = params.get(name).grad();
                INDArray actual = g == null ? Nd4j.zeros(expected.dataType(), expected.shape()) : g;
                if (name.startsWith("attention.k_projs.") && name.endsWith(".bias")) {
                    // zero in exact arithmetic: a key bias adds q·b to every score of a query
                    Close.assertAbsClose(p + "grad." + name, expected, actual, 1e-12);
                } else {
                    Close.assertClose(p + "grad." + name, expected, actual, 1e-9);
                }
            }
        }
        block.zeroGrad();
    }

    private static HybridBlock referenceBlock(Aggregation mode) {
        MahaConfig cfg = MahaConfig.reference(D, H, L, 2).toBuilder().ffnWidth(32).aggregation(mode).build();
        return new HybridBlock(cfg, DataType.DOUBLE);
    }

    @SuppressWarnings("unchecked")
    private static List<String> parameterNames(SafeTensors.Contents fx, String p) {
        String json = fx.metadata().get(p + "param_names");
        List<String> out = new ArrayList<>();
        for (String part : json.replace("[", "").replace("]", "").split(",")) out.add(part.trim().replace("\"", ""));
        return out;
    }
}
