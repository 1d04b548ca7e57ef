package dev.maha.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress: on a terminal a progress bar (elapsed time, ETA, and the loss and tokens/s in
 * its message); otherwise, for logs, about twenty plain lines per run plus one per validation.
 */
final class Progress implements AutoCloseable {
    private static final int LOG_LINES = 20;

    private final ProgressBar bar;
    private final PrintStream out;
    private final String task;
    private final long total;
    private final long logEvery;
    private final long startStep;
    private final long startNanos = System.nanoTime();

    Progress(String task, long startStep, long total, PrintStream out) {
        this.task = task;
        this.total = total;
        this.startStep = startStep;
        this.out = out;
        this.logEvery = Math.max(1, total / LOG_LINES);
        this.bar = System.console() != null && out == System.out
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500).startsFrom(startStep, Duration.ZERO).continuousUpdate().build()
                : null;
    }

    /** After step {@code done} (1-based count of steps done) with the given loss and throughput. */
    void step(long done, double loss, double tokensPerSecond) {
        String msg = String.format(Locale.ROOT, "loss %.4f, %.0f tok/s", loss, tokensPerSecond);
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(msg);
        } else if (done % logEvery == 0 || done == total) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double eta = done > startStep ? elapsed / (done - startStep) * (total - done) : Double.NaN;
            out.printf(Locale.ROOT, "%s step %d/%d  %s  elapsed %s  ETA %s%n", task, done, total, msg, clock(elapsed),
                    clock(eta));
        }
    }

    /** Prints a line (validation results) without breaking the bar. */
    void note(String line) {
        if (bar != null) {
            out.println("\r" + line + " ".repeat(40));          // overwrite the bar's line; it redraws below
        } else {
            out.println(line);
        }
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
