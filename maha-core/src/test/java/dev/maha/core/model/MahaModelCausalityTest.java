package dev.maha.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.core.maha.HybridBlock;
import dev.maha.core.maha.MahaConfig;
import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole causal language models built from MAHA blocks never let a token see the future: for every
 * causal aggregation mode, every decomposition, with and without gating and windows, changing the
 * tokens after position t leaves every logit at positions ≤ t bit-for-bit unchanged. Lengths run
 * over 1..70 (not only multiples of r^{L-1}): each configuration takes its own lengths and together
 * they cover every n, and one configuration takes them all.
 */
class MahaModelCausalityTest {
    private static final int VOCAB = 11;
    private static final int MAX_LENGTH = 70;

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        int index = 0;
        for (Aggregation aggregation : List.of(Aggregation.MEAN, Aggregation.CONVEX, Aggregation.NASH)) {
            for (Decomposition decomposition : Decomposition.values()) {
                for (boolean gating : new boolean[] {false, true}) {
                    for (boolean windows : new boolean[] {false, true}) {
                        out.add(Arguments.of(aggregation, decomposition, gating, windows, index++));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} gating={2} windows={3}")
    @MethodSource("configurations")
    void futureTokensNeverChangeThePast(Aggregation aggregation, Decomposition decomposition, boolean gating,
                                        boolean windows, int index) {
        MahaConfig maha = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).kernel(3)
                .windows(windows ? new Integer[] {3, 2, MahaConfig.FULL} : new Integer[] {null, null, null})
                .causal(true).decomposition(decomposition).dilatedConv(MahaConfig.DilatedConv.DEPTHWISE)
                .aggregation(aggregation).gating(gating).dropout(0).seed(index).build();
        ModelConfig cfg = ModelConfig.languageModel(VOCAB, 8, MAX_LENGTH, 2).withDropout(0).withSeed(index);
        TransformerModel model = new TransformerModel(cfg, layer -> new HybridBlock(
                maha.toBuilder().seed(cfg.layerSeed(layer)).build(), DataType.FLOAT));
        model.eval();
        int[] lengths = index == 0 ? range(1, MAX_LENGTH) : new int[] {
            1 + index % MAX_LENGTH, 1 + (index * 17 + 5) % MAX_LENGTH, 1 + (index * 29 + 40) % MAX_LENGTH, MAX_LENGTH};
        SplittableRandom random = new SplittableRandom(index);
        for (int n : lengths) {
            int t = random.nextInt(n);
            long[] tokens = randomTokens(random, n);
            long[] changed = tokens.clone();
            for (int i = t + 1; i < n; i++) changed[i] = (tokens[i] + 1 + random.nextInt(VOCAB - 1)) % VOCAB;
            float[] before = logitsUpTo(model, tokens, t);
            float[] after = logitsUpTo(model, changed, t);
            assertArrayEquals(before, after, "n = " + n + ", t = " + t + ": a logit at a position <= t changed");
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from + 1];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static long[] randomTokens(SplittableRandom random, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = random.nextInt(VOCAB);
        return t;
    }

    /** Logits at positions 0..t, flattened. */
    private static float[] logitsUpTo(TransformerModel model, long[] tokens, int t) {
        try (NoGrad off = NoGrad.enter(); Scope s = Scope.open()) {
            Tensor logits = model.forward(Tensor.indices(tokens, 1, tokens.length)).logits();   // [1, n, V]
            return logits.narrow(1, 0, t + 1).value().dup('c').data().asFloat();
        }
    }
}
