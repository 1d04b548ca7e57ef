package dev.maha.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: greedy (temperature 0), or sampling from
 * softmax(logits / temperature) restricted to the top-k tokens. Seeded, so generation is
 * reproducible.
 */
public final class Sampler {
    private final double temperature;
    private final int topK;
    private final SplittableRandom random;

    /**
     * @param temperature 0 for greedy decoding, otherwise > 0 (1 = the model's distribution)
     * @param topK        sample among the k most likely tokens; 0 means all tokens
     * @param seed        random seed
     */
    public Sampler(double temperature, int topK, long seed) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("Sampler: temperature (" + temperature + ") must be finite and >= 0");
        }
        if (topK < 0) throw new IllegalArgumentException("Sampler: topK (" + topK + ") must be >= 0");
        this.temperature = temperature;
        this.topK = topK;
        this.random = new SplittableRandom(seed);
    }

    /** Greedy decoding: always the most likely token. */
    public static Sampler greedy() {
        return new Sampler(0, 0, 0);
    }

    /** The index of the chosen token for one row of logits [V]. */
    public int next(double[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("Sampler: empty logits");
        if (temperature == 0) return argMax(logits);
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(logits[b], logits[a]));
        int k = topK == 0 ? logits.length : Math.min(topK, logits.length);
        double max = logits[order[0]];
        double[] p = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / temperature);
            total += p[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < k; i++) {
            u -= p[i];
            if (u <= 0) return order[i];
        }
        return order[k - 1];
    }

    private static int argMax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
