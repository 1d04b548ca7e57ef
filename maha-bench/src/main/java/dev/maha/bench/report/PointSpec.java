package dev.maha.bench.report;

import dev.maha.bench.AttentionLayers;
import dev.maha.core.maha.MahaConfig;

/**
 * One point of a sweep: a layer (one of {@link AttentionLayers#NAMES}) at length n, width d and h heads,
 * batch 1. A timed point measures latency, peak memory and FLOPs; an untimed one only counts FLOPs (the
 * paper's table in quick mode).
 *
 * @param layer the layer name
 * @param n     sequence length ≥ 1
 * @param width d
 * @param heads h, dividing d
 * @param timed whether latency and memory are measured
 */
public record PointSpec(String layer, int n, int width, int heads, boolean timed) {
    /** Bytes of one float32 score matrix entry. */
    private static final long FLOAT_BYTES = 4;
    /** Score matrices alive at the peak of a full-attention backward: the saved probabilities P and dS. */
    private static final long LIVE_SCORE_MATRICES = 2;

    /** Validates the layer name and the shape. */
    public PointSpec {
        AttentionLayers.config(layer, width, heads);
        if (n < 1) throw new IllegalArgumentException("PointSpec: n must be >= 1, got " + n);
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("PointSpec: heads (" + heads + ") must be >= 1 and divide width (" + width + ")");
        }
    }

    /** The MAHA configuration, or null for the baseline. */
    public MahaConfig config() {
        return AttentionLayers.config(layer, width, heads);
    }

    /**
     * An estimate of the peak bytes of the full-length score matrices (n² · h · 4 bytes each, two alive
     * during backward); windowed scales are ignored, being small. Decides which points are skipped.
     */
    public long scoreMatrixBytes() {
        MahaConfig c = config();
        long entries = 0;
        if (c == null) {
            entries = (long) n * n * heads;
        } else {
            int[] lengths = c.scaleLengths(n);
            for (int l = 0; l < lengths.length; l++) {
                if (c.window(l) == null) entries += (long) lengths[l] * lengths[l] * heads;
            }
        }
        return entries * FLOAT_BYTES * LIVE_SCORE_MATRICES;
    }

    /** A short label, e.g. {@code baseline n=4096 d=256 h=4}. */
    public String label() {
        return layer + " n=" + n + " d=" + width + " h=" + heads + (timed ? "" : " (FLOPs only)");
    }
}
