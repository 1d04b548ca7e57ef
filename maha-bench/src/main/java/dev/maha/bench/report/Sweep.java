package dev.maha.bench.report;

import dev.maha.bench.AttentionLayers;
import java.util.ArrayList;
import java.util.List;

/**
 * The points the report measures.
 *
 * <ul>
 *   <li><b>Full</b> (the sweep): every layer of {@link AttentionLayers#NAMES} for
 *       n ∈ {256, ..., 16384} at d = 256, h = 4, and for n ≤ 4096 at the paper's d = 768, h = 12.</li>
 *   <li><b>Quick</b> (under 10 minutes on 2 cores): d = 256, h = 4, n ∈ {256, 1024, 4096}, the baseline, the
 *       efficient configuration with MEAN and NASH and the reference-like one with NASH; and, for the
 *       paper's table, FLOP counts (untimed) of the baseline and both NASH configurations at d = 768,
 *       h = 12, n = 4096.</li>
 * </ul>
 */
public final class Sweep {
    /** The paper's width. */
    public static final int PAPER_WIDTH = 768;
    /** The paper's heads. */
    public static final int PAPER_HEADS = 12;
    /** The length of the paper's claim. */
    public static final int PAPER_N = 4096;

    private static final int[] FULL_N = {256, 512, 1024, 2048, 4096, 8192, 16384};
    private static final int[] QUICK_N = {256, 1024, 4096};
    private static final List<String> QUICK_LAYERS = List.of("baseline", "maha-efficient-mean", "maha-efficient-nash",
            "maha-reference-nash");
    private static final List<String> PAPER_LAYERS = List.of("baseline", "maha-efficient-nash", "maha-reference-nash");

    private Sweep() {
    }

    /** The full sweep of the issue. */
    public static List<PointSpec> full() {
        List<PointSpec> points = new ArrayList<>();
        for (int n : FULL_N) {
            for (String layer : AttentionLayers.NAMES) points.add(new PointSpec(layer, n, 256, 4, true));
        }
        for (int n : FULL_N) {
            if (n > PAPER_N) continue;
            for (String layer : AttentionLayers.NAMES) points.add(new PointSpec(layer, n, PAPER_WIDTH, PAPER_HEADS, true));
        }
        return points;
    }

    /** The quick subset. */
    public static List<PointSpec> quick() {
        List<PointSpec> points = new ArrayList<>();
        for (int n : QUICK_N) {
            for (String layer : QUICK_LAYERS) points.add(new PointSpec(layer, n, 256, 4, true));
        }
        for (String layer : PAPER_LAYERS) points.add(new PointSpec(layer, PAPER_N, PAPER_WIDTH, PAPER_HEADS, false));
        return points;
    }
}
