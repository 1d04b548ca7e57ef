package dev.maha.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each MAHA configuration gains over the baseline at the same (n, d, h): the speed-up of forward +
 * backward, and the FLOP reduction in both metrics (the paper's score entries, and whole-layer FLOPs of
 * forward + backward, analytic and counted). A reduction is {@code 1 − MAHA/baseline}: 0.81 is "81 % fewer",
 * −0.33 is "33 % more".
 *
 * @param layer                     the MAHA layer
 * @param n                         sequence length
 * @param d                         width
 * @param h                         heads
 * @param speedupFwdBwd             baseline median / MAHA median of forward + backward, or null when either
 *                                  was not timed
 * @param scoreEntriesReduction     1 − MAHA's score entries / the baseline's
 * @param flopsReductionAnalytic    1 − MAHA's / the baseline's whole-layer FLOPs (forward + backward), analytic
 * @param flopsReductionCounted     the same from the counted FLOPs, or null when either was not counted
 */
public record Summary(String layer, int n, int d, int h, Double speedupFwdBwd, double scoreEntriesReduction,
                      double flopsReductionAnalytic, Double flopsReductionCounted) {

    /** One summary per MAHA record that has a baseline record at the same (n, d, h). */
    public static List<Summary> of(List<PointResult> records) {
        List<Summary> out = new ArrayList<>();
        for (PointResult r : records) {
            if (r.layer().equals("baseline")) continue;
            Optional<PointResult> base = baselineOf(records, r);
            if (base.isEmpty()) continue;
            PointResult b = base.get();
            Double speedup = r.msFwdBwd() == null || b.msFwdBwd() == null ? null : b.msFwdBwd().median() / r.msFwdBwd().median();
            Double counted = r.flopsCounted() == null || b.flopsCounted() == null
                    ? null : 1 - (double) r.flopsCounted() / b.flopsCounted();
            out.add(new Summary(r.layer(), r.n(), r.d(), r.h(), speedup, 1 - (double) r.scoreEntries() / b.scoreEntries(),
                    1 - (double) r.flopsAnalytic() / b.flopsAnalytic(), counted));
        }
        return out;
    }

    /** The baseline record at the same (n, d, h) as {@code r}. */
    static Optional<PointResult> baselineOf(List<PointResult> records, PointResult r) {
        return records.stream()
                .filter(b -> b.layer().equals("baseline") && b.n() == r.n() && b.d() == r.d() && b.h() == r.h())
                .findFirst();
    }
}
