package dev.maha.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG charts, one set per (d, h): latency, FLOPs and peak memory against n, one series per
 * layer, both axes logarithmic.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;

    private Charts() {
    }

    /**
     * Writes {@code latency-d<d>-h<h>.png}, {@code flops-...} and {@code memory-...} into {@code dir} for every
     * (d, h) with at least two lengths; returns the file names written.
     */
    static List<String> write(List<PointResult> records, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<PointResult>> groups = new TreeMap<>();
        for (PointResult r : records) groups.computeIfAbsent("d" + r.d() + "-h" + r.h(), k -> new ArrayList<>()).add(r);
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, List<PointResult>> g : groups.entrySet()) {
            List<PointResult> rs = g.getValue();
            if (rs.stream().map(PointResult::n).distinct().count() < 2) continue;
            String shape = "d = " + rs.get(0).d() + ", h = " + rs.get(0).h();
            addIfWritten(written, chart(dir, "latency-" + g.getKey(), "Forward + backward latency (" + shape + ", batch 1, float32)",
                    "median time (ms)", rs, r -> r.msFwdBwd() == null ? null : r.msFwdBwd().median(), true));
            addIfWritten(written, chart(dir, "flops-" + g.getKey(), "FLOPs of forward + backward (" + shape + ")",
                    "GFLOP (counted; analytic where not run)", rs,
                    r -> (r.flopsCounted() != null ? r.flopsCounted() : r.flopsAnalytic()) / 1e9, false));
            addIfWritten(written, chart(dir, "memory-" + g.getKey(), "Peak memory of forward + backward (" + shape + ")",
                    "peak resident memory above idle (MB)", rs,
                    r -> r.peakBytes() == null || r.peakBytes() <= 0 ? null : r.peakBytes() / 1e6, false));
        }
        return written;
    }

    private static void addIfWritten(List<String> written, String name) {
        if (name != null) written.add(name);
    }

    /** One chart, or null (nothing written) when no record has a value. */
    private static String chart(Path dir, String name, String title, String yTitle, List<PointResult> rs,
                                Function<PointResult, Double> value, boolean withTorch) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("sequence length n (log scale)").yAxisTitle(yTitle + ", log scale").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("#");
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (PointResult r : rs) {
            Double v = value.apply(r);
            if (v != null && v > 0) series.computeIfAbsent(r.layer(), k -> new ArrayList<>()).add(new double[] {r.n(), v});
            if (withTorch && r.torchMsFwdBwd() != null) {
                series.computeIfAbsent("baseline (PyTorch)", k -> new ArrayList<>()).add(new double[] {r.n(), r.torchMsFwdBwd().median()});
            }
        }
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            List<double[]> pts = s.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(s.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        if (series.isEmpty()) return null;
        AtomicFiles.write(dir.resolve(name + ".png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        return name + ".png";
    }
}
