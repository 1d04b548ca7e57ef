package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
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

class MultiscaleAttentionTest {

    /**
     * Every n in 1..300 for L = 1..5 and r = 2..4, forward only: one causal and one non-causal layer per
     * (L, r), taking the odd and the even lengths in turn (swapped for every other (L, r)), windows of 5 at
     * every scale but the coarsest (so short sequences use the full layout and long ones the blockwise one).
     */
    @Test
    void everyLengthFromOneTo300Works() {
        int d = 4;
        int runs = 0;
        for (int scales = 1; scales <= 5; scales++) {
            for (int r = 2; r <= 4; r++) {
                MultiscaleAttention[] layers = new MultiscaleAttention[2];
                for (int c = 0; c < 2; c++) {
                    Integer[] windows = new Integer[scales];
                    for (int l = 0; l + 1 < scales; l++) windows[l] = 5;
                    boolean causal = c == 1;
                    layers[c] = new MultiscaleAttention(MahaConfig.builder().width(d).heads(2).scales(scales).ratio(r)
                            .causal(causal).windows(windows).aggregation(causal ? Aggregation.NASH : Aggregation.CONVEX)
                            .decomposition(Decomposition.DEPTHWISE).build());
                }
                try (NoGrad off = NoGrad.enter()) {
                    for (int n = 1; n <= 300; n++) {
                        MultiscaleAttention layer = layers[(n + scales + r) % 2];
                        try (Scope scope = Scope.open()) {
                            MultiscaleAttention.Output out = layer.forward(Tensor.randn(n, DataType.FLOAT, 1, n, d), null);
                            String what = "L=" + scales + " r=" + r + (layer.config().causal() ? " causal" : "") + " n=" + n;
                            INDArray y = out.output().value();
                            assertEquals(Arrays.toString(new long[] {1, n, d}), Arrays.toString(y.shape()), what);
                            assertTrue(Double.isFinite(y.sumNumber().doubleValue()), what + ": non-finite output");
                            int used = 0;
                            for (int len : layer.config().scaleLengths(n)) if (len > 0) used++;
                            assertEquals(Arrays.toString(new long[] {1, 2, n, used}), Arrays.toString(out.weights().shape()),
                                    what + ": weights over the non-empty scales");
                            runs++;
                        }
                    }
                }
            }
        }
        assertEquals(15 * 300, runs);
    }

    @Test
    void emptyCoarseLevelsAreSkipped() {
        // causal, r = 2, L = 3: at n = 3 scale 2 is empty (⌊3/4⌋ = 0), so the layer is the L = 2 layer with the
        // same parameters; at n = 1 only scale 0 remains.
        MahaConfig three = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).causal(true).aggregation(Aggregation.NASH)
                .gating(false).build();
        MahaConfig two = three.toBuilder().scales(2).windows((List<Integer>) null).build();
        MahaConfig one = three.toBuilder().scales(1).windows((List<Integer>) null).build();
        MultiscaleAttention big = new MultiscaleAttention(three, DataType.DOUBLE);
        for (MahaConfig small : new MahaConfig[] {two, one}) {
            MultiscaleAttention sub = new MultiscaleAttention(small, DataType.DOUBLE);
            Map<String, INDArray> state = new LinkedHashMap<>();
            Map<String, INDArray> from = big.stateDict();
            for (String name : sub.stateDict().keySet()) {
                INDArray v = from.get(name);
                if (name.startsWith("aggregation.utility_")) {
                    v = v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, small.scales())).dup();
                }
                state.put(name, v);
            }
            sub.loadStateDict(state);
            int n = small.scales() == 2 ? 3 : 1;
            try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
                Tensor c = Tensor.randn(11, DataType.DOUBLE, 2, n, 8);
                MultiscaleAttention.Output a = big.forward(c, null);
                MultiscaleAttention.Output b = sub.forward(c, null);
                Close.assertClose("L=3 at n=" + n + " vs L=" + small.scales(), b.output().value(), a.output().value(), 1e-14);
                assertEquals(small.scales(), a.weights().size(3));
            }
        }
    }

    @Test
    void standaloneLayerOwnsItsWholeParameterSet() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).gating(true).aggregation(Aggregation.CONVEX)
                .build();
        List<String> names = new ArrayList<>(new MultiscaleAttention(cfg).stateDict().keySet());
        List<String> expected = List.of("q_projs.0.weight", "q_projs.0.bias", "q_projs.1.weight", "q_projs.1.bias",
                "q_projs.2.weight", "q_projs.2.bias", "k_projs.0.weight", "k_projs.0.bias", "k_projs.1.weight", "k_projs.1.bias",
                "k_projs.2.weight", "k_projs.2.bias", "shared_v_proj.weight", "shared_v_proj.bias", "gates.0.weight",
                "gates.0.bias", "gates.1.weight", "gates.1.bias", "out_proj.weight", "out_proj.bias",
                "decomposition.downsamplers.0.weight", "decomposition.downsamplers.0.bias", "decomposition.downsamplers.1.weight",
                "decomposition.downsamplers.1.bias", "aggregation.utility_weight", "aggregation.utility_bias");
        assertEquals(expected, names);
        List<String> plain = new ArrayList<>(new MultiscaleAttention(cfg.toBuilder().gating(false).outputProjection(false)
                .aggregation(Aggregation.MEAN).decomposition(Decomposition.AVG_POOL).build()).stateDict().keySet());
        assertEquals(List.of("q_projs.0.weight", "q_projs.0.bias", "q_projs.1.weight", "q_projs.1.bias", "q_projs.2.weight",
                "q_projs.2.bias", "k_projs.0.weight", "k_projs.0.bias", "k_projs.1.weight", "k_projs.1.bias", "k_projs.2.weight",
                "k_projs.2.bias", "shared_v_proj.weight", "shared_v_proj.bias"), plain);
    }

    @Test
    void sameSeedSameLayerAndSharedModulesMustMatchTheConfig() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).seed(5).build();
        Map<String, INDArray> a = new MultiscaleAttention(cfg).stateDict();
        Map<String, INDArray> b = new MultiscaleAttention(cfg).stateDict();
        for (String name : a.keySet()) assertEquals(a.get(name), b.get(name), name);
        Map<String, INDArray> c = new MultiscaleAttention(cfg.toBuilder().seed(6).build()).stateDict();
        assertFalse(a.get("q_projs.0.weight").equals(c.get("q_projs.0.weight")));

        MahaConfig other = cfg.toBuilder().causal(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiscaleAttention(cfg,
                new ScaleDecomposition(other, 1), new ScaleAggregation(cfg, 2), 3, DataType.FLOAT));
        assertTrue(e.getMessage().contains("decomposition"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiscaleAttention(cfg, new ScaleDecomposition(cfg, 1),
                new ScaleAggregation(cfg, 2, DataType.DOUBLE), 3, DataType.FLOAT));
        assertTrue(e.getMessage().contains("aggregation.utility_weight") && e.getMessage().contains("DOUBLE"), e.getMessage());
    }

    @Test
    void certificatesReportTheSolvers() {
        for (Aggregation mode : Aggregation.values()) {
            MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).aggregation(mode).build();
            MultiscaleAttention layer = new MultiscaleAttention(cfg, DataType.DOUBLE);
            try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
                MultiscaleAttention.Output out = layer.forward(Tensor.randn(1, DataType.DOUBLE, 2, 9, 8), null);
                boolean solver = mode == Aggregation.CONVEX || mode == Aggregation.NASH;
                assertEquals(solver, out.certificate().isPresent(), mode.toString());
                if (solver) assertTrue(out.certificate().getAsDouble() < 1e-9, mode + ": " + out.certificate());
                double aux = out.auxLoss().item();
                assertEquals(mode == Aggregation.REFERENCE_SOFTMAX ? 0.1 : 0.0, aux, 1e-12, mode.toString());
            }
        }
    }

    @Test
    void anAllTrueKeyMaskChangesNothing() {
        for (boolean causal : new boolean[] {false, true}) {
            MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).causal(causal).windows(4, null, null)
                    .aggregation(Aggregation.CONVEX).build();
            MultiscaleAttention layer = new MultiscaleAttention(cfg, DataType.DOUBLE);
            try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
                Tensor c = Tensor.randn(2, DataType.DOUBLE, 2, 13, 8);
                Tensor all = Tensor.owning(Nd4j.ones(DataType.BOOL, 2, 13));
                assertEquals(layer.forward(c, null).output().value(), layer.forward(c, all).output().value());
            }
        }
    }

    @Test
    void rotaryPositionsEnterTheScores() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).aggregation(Aggregation.MEAN).build();
        MultiscaleAttention plain = new MultiscaleAttention(cfg, DataType.DOUBLE);
        MultiscaleAttention rotary = new MultiscaleAttention(cfg.toBuilder().rotary(true).build(), DataType.DOUBLE);
        rotary.loadStateDict(plain.stateDict());
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            Tensor c = Tensor.randn(3, DataType.DOUBLE, 1, 10, 8);
            INDArray a = plain.forward(c, null).output().value();
            INDArray b = rotary.forward(c, null).output().value();
            assertTrue(a.sub(b).amaxNumber().doubleValue() > 1e-6, "rotary changes the output");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MahaConfig.builder().width(6).heads(2).scales(2).ratio(2).rotary(true).build());
        assertTrue(e.getMessage().contains("rotary") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void traceRecordsEveryScale() {
        MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).causal(true).build();
        MultiscaleAttention layer = new MultiscaleAttention(cfg, DataType.DOUBLE);
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            Map<String, Tensor> trace = new HashMap<>();
            layer.forward(Tensor.randn(3, DataType.DOUBLE, 2, 5, 8), null, trace);
            // n = 5: lengths 5, 2, 1
            assertEquals(Arrays.toString(new long[] {2, 2, 8}), Arrays.toString(trace.get("scale.1").shape()));
            assertEquals(Arrays.toString(new long[] {2, 1, 8}), Arrays.toString(trace.get("attn.2").shape()));
            assertEquals(Arrays.toString(new long[] {2, 5, 8}), Arrays.toString(trace.get("up.2").shape()));
            assertEquals(Arrays.toString(new long[] {2, 5, 8}), Arrays.toString(trace.get("agg").shape()));
            // causal: scale 2 (R = 4) is unavailable before position 3, so its upsampled output is zero there
            assertEquals(0.0, trace.get("up.2").value().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).amaxNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void badInputNamesTheTensorAndShapes() {
        MultiscaleAttention layer = new MultiscaleAttention(MahaConfig.builder().width(8).heads(2).scales(2).ratio(2).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(DataType.FLOAT, 1, 4, 6), null));
        assertTrue(e.getMessage().contains("MultiscaleAttention") && e.getMessage().contains("input C")
                && e.getMessage().contains("[1, 4, 6]") && e.getMessage().contains("[B, n, 8]"), e.getMessage());
        Tensor mask = Tensor.owning(Nd4j.ones(DataType.BOOL, 1, 5));
        e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(DataType.FLOAT, 1, 4, 8), mask));
        assertTrue(e.getMessage().contains("keyValid") && e.getMessage().contains("[1, 4]") && e.getMessage().contains("[1, 5]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiscaleAttention(null));
        assertTrue(e.getMessage().contains("config"), e.getMessage());
    }
}
