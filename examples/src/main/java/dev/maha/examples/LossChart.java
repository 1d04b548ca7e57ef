package dev.maha.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss-curve PNG: training loss (smoothed over a window of steps, raw per-step losses are noisy)
 * and validation loss against the step, for one or several runs, written atomically.
 */
final class LossChart {
    private LossChart() {
    }

    /**
     * Writes the curves of {@code runs} to {@code file} (PNG), with a flat dashed line at
     * {@code baseline} (nats) labelled {@code baselineLabel}, the loss to beat.
     */
    static void write(Path file, String title, List<Trainer.Result> runs, String baselineLabel, double baseline)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("step")
                .yAxisTitle("loss (nats per token)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(6);
        for (Trainer.Result run : runs) {
            List<Double> train = run.history().train();
            int window = Math.max(1, train.size() / 100);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int end = window; end <= train.size(); end += window) {
                double s = 0;
                for (int i = end - window; i < end; i++) s += train.get(i);
                xs.add((double) end);
                ys.add(s / window);
            }
            if (!xs.isEmpty()) {
                XYSeries t = chart.addSeries(run.label() + " train" + (window > 1 ? " (mean of " + window + " steps)" : ""), xs, ys);
                t.setMarker(SeriesMarkers.NONE);
            }
            List<Double> vx = new ArrayList<>();
            List<Double> vy = new ArrayList<>();
            for (History.Validation v : run.history().validation()) {
                vx.add((double) v.step());
                vy.add(v.loss());
            }
            if (!vx.isEmpty()) chart.addSeries(run.label() + " validation", vx, vy).setMarker(SeriesMarkers.CIRCLE);
        }
        long lastStep = runs.stream().mapToLong(r -> r.history().train().size()).max().orElse(1);
        XYSeries base = chart.addSeries(baselineLabel, List.of(0.0, (double) lastStep), List.of(baseline, baseline));
        base.setMarker(SeriesMarkers.NONE);
        base.setLineStyle(SeriesLines.DASH_DASH);
        base.setLineColor(java.awt.Color.GRAY);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
