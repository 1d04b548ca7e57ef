package dev.maha.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code report.md}: the records, the summary and the paper's table as Markdown tables. */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static String render(Meta meta, List<PointResult> records, List<Summary> summary, List<PaperTable> paper,
                         List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# FLOPs and latency report\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "date", meta.date());
        row(md, "mode", meta.mode());
        row(md, "CPU", meta.cpu() + ", " + meta.cores() + " cores");
        row(md, "JVM", meta.jvm());
        row(md, "BLAS/OpenMP threads", meta.threads() + ", OMP_WAIT_POLICY=" + meta.ompWaitPolicy());
        row(md, "timing", String.format(Locale.ROOT, "at least %d warm-up steps and %.0f s, then at least %d timed runs and %.0f s "
                + "of each kind; median [fastest – slowest]; one JVM per point", meta.warmup(), meta.minSeconds(), meta.repeats(),
                meta.minSeconds()));
        row(md, "command", "`" + meta.command() + "`");
        row(md, "wall time", String.format(Locale.ROOT, "%.0f s", meta.wallSeconds()));
        md.append("\nBatch 1, float32, causal. Forward runs without the tape (inference); forward + backward computes "
                + "every parameter gradient and the input gradient. FLOPs count a multiply-add as 2 (analytic model of "
                + "`docs/flops.md` / the engine's `FlopCounter`). Score entries are the paper's metric (all heads). "
                + "Peak memory is resident memory above the level before one forward + backward, in its own JVM.\n");

        Map<String, List<PointResult>> groups = new TreeMap<>();
        for (PointResult r : records) groups.computeIfAbsent("d = " + r.d() + ", h = " + r.h(), k -> new java.util.ArrayList<>()).add(r);
        boolean torch = records.stream().anyMatch(r -> r.torchMsFwdBwd() != null);
        for (Map.Entry<String, List<PointResult>> g : groups.entrySet()) {
            md.append("\n## Measurements, ").append(g.getKey()).append("\n\n");
            md.append("| layer | n | forward ms | forward + backward ms | peak MB | GFLOP fwd (analytic / counted) "
                    + "| GFLOP bwd (analytic / counted) | model error | score entries |"
                    + (torch ? " PyTorch fwd ms | PyTorch fwd + bwd ms |" : "") + "\n");
            md.append("|---|---|---|---|---|---|---|---|---|" + (torch ? "---|---|" : "") + "\n");
            for (PointResult r : g.getValue()) {
                md.append("| ").append(r.layer()).append(" | ").append(r.n()).append(" | ")
                        .append(stats(r.msFwd(), r)).append(" | ").append(stats(r.msFwdBwd(), r)).append(" | ")
                        .append(r.peakBytes() == null ? "" : String.format(Locale.ROOT, "%.1f", r.peakBytes() / 1e6)).append(" | ")
                        .append(gflop(r.flopsFwdAnalytic())).append(" / ").append(r.flopsFwdCounted() == null ? "–" : gflop(r.flopsFwdCounted()))
                        .append(" | ").append(gflop(r.flopsBwdAnalytic())).append(" / ")
                        .append(r.flopsBwdCounted() == null ? "–" : gflop(r.flopsBwdCounted())).append(" | ")
                        .append(r.flopsModelError() == null ? "–" : String.format(Locale.ROOT, "%.3f %%", 100 * r.flopsModelError()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.3g", (double) r.scoreEntries())).append(" |");
                if (torch) md.append(' ').append(stats(r.torchMsFwd(), null)).append(" | ").append(stats(r.torchMsFwdBwd(), null)).append(" |");
                md.append('\n');
            }
        }

        md.append("\n## MAHA over the baseline\n\n");
        md.append("Speed-up = baseline / MAHA median time of forward + backward. Reductions are 1 − MAHA / baseline "
                + "(negative: MAHA costs more).\n\n");
        md.append("| layer | d, h | n | speed-up fwd + bwd | score-entry reduction | whole-layer FLOP reduction (analytic / counted) |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Summary s : summary) {
            md.append("| ").append(s.layer()).append(" | ").append(s.d()).append(", ").append(s.h()).append(" | ").append(s.n())
                    .append(" | ").append(s.speedupFwdBwd() == null ? "–" : String.format(Locale.ROOT, "%.2f×", s.speedupFwdBwd()))
                    .append(" | ").append(percent(s.scoreEntriesReduction())).append(" | ").append(percent(s.flopsReductionAnalytic()))
                    .append(" / ").append(s.flopsReductionCounted() == null ? "–" : percent(s.flopsReductionCounted())).append(" |\n");
        }

        md.append("\n## The paper's claim at n = 4096 (d = 768, h = 12, L = 4, r = 2)\n\n");
        md.append("The paper claims \"").append(PaperTable.CLAIM).append("\". That figure is a ratio of attention-score "
                + "entries; a change is MAHA / dense − 1 (negative: fewer).\n\n");
        md.append("| configuration | score entries | whole-layer FLOPs, forward | whole-layer FLOPs, forward + backward | source | paper |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (PaperTable p : paper) {
            md.append("| ").append(p.config()).append(" (").append(p.layer()).append(") | ").append(signedPercent(p.scoreEntriesChange()))
                    .append(" | ").append(signedPercent(p.flopsFwdChange())).append(" | ").append(signedPercent(p.flopsFwdBwdChange()))
                    .append(" | ").append(p.counted() ? "counted" : "analytic").append(" | −81 % |\n");
        }

        List<PointResult> notRun = records.stream().filter(r -> r.status().equals("skipped") || r.status().equals("failed"))
                .collect(Collectors.toList());
        if (!notRun.isEmpty()) {
            md.append("\n## Points not measured\n\n");
            for (PointResult r : notRun) {
                md.append("- ").append(r.layer()).append(" n = ").append(r.n()).append(", d = ").append(r.d()).append(", h = ")
                        .append(r.h()).append(": ").append(r.status()).append(", ").append(r.note()).append('\n');
            }
        }
        double worst = records.stream().map(PointResult::flopsModelError).filter(e -> e != null).mapToDouble(Double::doubleValue)
                .max().orElse(Double.NaN);
        md.append("\n## Analytic model against the counter\n\nLargest difference between analytic and counted FLOPs (forward "
                + "or backward) over every counted point: ").append(String.format(Locale.ROOT, "%.4f %%", 100 * worst)).append(".\n");
        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (String c : charts) md.append("![").append(c).append("](charts/").append(c).append(")\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String stats(Stats s, PointResult r) {
        if (s == null) return r != null && !r.status().equals("ok") ? r.status() : "";
        return String.format(Locale.ROOT, "%s [%s – %s]", ms(s.median()), ms(s.min()), ms(s.max()));
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String gflop(long flops) {
        return String.format(Locale.ROOT, "%.3g", flops / 1e9);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f %%", 100 * fraction);
    }
}
