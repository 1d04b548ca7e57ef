package dev.maha.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The paper's claim next to what the layers cost, at the paper's configuration (n = 4096, d = 768, h = 12,
 * L = 4, r = 2): for the reference-like and the efficient configuration, the change in score entries (the
 * paper's metric) and in whole-layer FLOPs, forward and forward + backward, against the dense baseline. A
 * change is {@code MAHA/baseline − 1}: −0.81 is "81 % fewer", +0.33 is "33 % more".
 *
 * @param layer               the MAHA layer
 * @param config              {@code reference-like} or {@code efficient}
 * @param scoreEntriesChange  the change in score entries
 * @param flopsFwdChange      the change in forward FLOPs (counted when counted, else analytic)
 * @param flopsFwdBwdChange   the change in forward + backward FLOPs (counted when counted, else analytic)
 * @param counted             whether the FLOP changes come from the engine's counter
 * @param paperClaim          the paper's figure for the layer
 */
public record PaperTable(String layer, String config, double scoreEntriesChange, double flopsFwdChange,
                         double flopsFwdBwdChange, boolean counted, String paperClaim) {
    /** The paper's claim, as it states it. */
    public static final String CLAIM = "81 % fewer FLOPs at n = 4096";

    /** The rows for the NASH layers at the paper's configuration, where the records have them. */
    public static List<PaperTable> of(List<PointResult> records) {
        List<PaperTable> rows = new ArrayList<>();
        for (String layer : List.of("maha-reference-nash", "maha-efficient-nash")) {
            Optional<PointResult> r = records.stream().filter(p -> p.layer().equals(layer) && p.n() == Sweep.PAPER_N
                    && p.d() == Sweep.PAPER_WIDTH && p.h() == Sweep.PAPER_HEADS).findFirst();
            if (r.isEmpty()) continue;
            Optional<PointResult> b = Summary.baselineOf(records, r.get());
            if (b.isEmpty()) continue;
            PointResult m = r.get();
            PointResult base = b.get();
            boolean counted = m.flopsCounted() != null && base.flopsCounted() != null;
            double fwd = counted ? (double) m.flopsFwdCounted() / base.flopsFwdCounted() : (double) m.flopsFwdAnalytic() / base.flopsFwdAnalytic();
            double all = counted ? (double) m.flopsCounted() / base.flopsCounted() : (double) m.flopsAnalytic() / base.flopsAnalytic();
            rows.add(new PaperTable(layer, m.config(), (double) m.scoreEntries() / base.scoreEntries() - 1, fwd - 1, all - 1,
                    counted, CLAIM));
        }
        return rows;
    }
}
