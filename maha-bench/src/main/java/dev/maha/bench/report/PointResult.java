package dev.maha.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maha.core.maha.MahaConfig;

/**
 * One record of {@code report.json}: a layer at one (n, d, h), batch 1, float32. Times are in
 * milliseconds, FLOPs count a multiply-add as 2, score entries are the paper's metric summed over heads.
 *
 * @param layer              the layer name ({@code baseline}, {@code maha-efficient-nash}, ...)
 * @param config             {@code dense}, {@code efficient} or {@code reference-like}
 * @param aggregation        MEAN, CONVEX or NASH for MAHA layers, null for the baseline
 * @param n                  sequence length
 * @param d                  width
 * @param h                  heads
 * @param status             {@code ok}, {@code flops-only}, {@code skipped} or {@code failed}
 * @param note               why a point was skipped or failed, or null
 * @param msFwd              forward (no tape) latency, or null when not timed
 * @param msFwdBwd           forward + backward latency, or null when not timed
 * @param peakBytes          peak resident memory above the level before one forward + backward, or null
 * @param flopsFwdAnalytic   forward FLOPs of the analytic model
 * @param flopsFwdCounted    forward FLOPs the engine's counter reported, or null when not run
 * @param flopsBwdAnalytic   backward FLOPs of the analytic model
 * @param flopsBwdCounted    backward FLOPs the engine's counter reported, or null when not run
 * @param scoreEntries       attention-score entries (paper's metric), all heads
 * @param torchMsFwd         PyTorch's forward latency of the same baseline layer, when merged
 * @param torchMsFwdBwd      PyTorch's forward + backward latency, when merged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointResult(String layer, String config, String aggregation, int n, int d, int h, String status, String note,
                          Stats msFwd, Stats msFwdBwd, Long peakBytes,
                          long flopsFwdAnalytic, Long flopsFwdCounted, long flopsBwdAnalytic, Long flopsBwdCounted,
                          long scoreEntries, Stats torchMsFwd, Stats torchMsFwdBwd) {

    /** A record with the analytic figures of {@code spec} and nothing measured yet. */
    public static PointResult analytic(PointSpec spec, String status, String note) {
        MahaConfig c = spec.config();
        LayerFlops flops = c == null ? FlopModel.baseline(1, spec.n(), spec.width(), spec.heads(), true) : FlopModel.maha(c, 1, spec.n());
        long entries = c == null ? FlopModel.baselineScoreEntries(spec.n(), spec.heads()) : FlopModel.scoreEntries(c, spec.n());
        String config = c == null ? "dense" : spec.layer().startsWith("maha-efficient") ? "efficient" : "reference-like";
        String aggregation = c == null ? null : c.aggregation().name();
        return new PointResult(spec.layer(), config, aggregation, spec.n(), spec.width(), spec.heads(), status, note,
                null, null, null, flops.forward(), null, flops.backward(), null, entries, null, null);
    }

    /** This record with measured figures. */
    public PointResult measured(String status, Stats fwd, Stats fwdBwd, Long peak, Long countedFwd, Long countedBwd) {
        return new PointResult(layer, config, aggregation, n, d, h, status, note, fwd, fwdBwd, peak,
                flopsFwdAnalytic, countedFwd, flopsBwdAnalytic, countedBwd, scoreEntries, torchMsFwd, torchMsFwdBwd);
    }

    /** This record with another status and note. */
    public PointResult withStatus(String newStatus, String newNote) {
        return new PointResult(layer, config, aggregation, n, d, h, newStatus, newNote, msFwd, msFwdBwd, peakBytes,
                flopsFwdAnalytic, flopsFwdCounted, flopsBwdAnalytic, flopsBwdCounted, scoreEntries, torchMsFwd, torchMsFwdBwd);
    }

    /** This record with PyTorch's timings of the same layer. */
    public PointResult withTorch(Stats fwd, Stats fwdBwd) {
        return new PointResult(layer, config, aggregation, n, d, h, status, note, msFwd, msFwdBwd, peakBytes,
                flopsFwdAnalytic, flopsFwdCounted, flopsBwdAnalytic, flopsBwdCounted, scoreEntries, fwd, fwdBwd);
    }

    /** Forward + backward FLOPs of the analytic model. */
    public long flopsAnalytic() {
        return flopsFwdAnalytic + flopsBwdAnalytic;
    }

    /** Forward + backward FLOPs counted, or null. */
    public Long flopsCounted() {
        return flopsFwdCounted == null || flopsBwdCounted == null ? null : flopsFwdCounted + flopsBwdCounted;
    }

    /**
     * The largest relative difference between analytic and counted FLOPs (forward, backward), or null when
     * nothing was counted.
     */
    public Double flopsModelError() {
        if (flopsFwdCounted == null || flopsBwdCounted == null) return null;
        double f = Math.abs((double) flopsFwdAnalytic / flopsFwdCounted - 1);
        double b = Math.abs((double) flopsBwdAnalytic / flopsBwdCounted - 1);
        return Math.max(f, b);
    }
}
