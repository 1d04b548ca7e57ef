package dev.maha.bench.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.concurrent.Callable;
import dev.maha.bench.PeakMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures one point of the report in its own JVM (the report starts one per point, so that every peak
 * starts from a fresh process and an out-of-memory error ends only that point). Prints one line
 * {@code RESULT <json>} with a {@link PointResult}.
 *
 * <p>{@code --measure time}: one forward + backward under the FLOP counter (also the first warm-up), the
 * other warm-up steps, then the timed forward passes (no tape) and the timed forward + backward passes,
 * each timed on its own. {@code --measure memory} (a separate JVM, which the report starts with
 * {@code MALLOC_MMAP_THRESHOLD_} fixed so that freed buffers go back to the system and every step's
 * allocations show up; that setting would slow the timed runs): the warm-up steps, then one forward +
 * backward with resident memory sampled every millisecond ({@link PeakMemory}).
 */
@Command(name = "point", mixinStandardHelpOptions = true, description = "Measures one layer at one size (used by the report).")
public final class PointProbe implements Callable<Integer> {
    /** The prefix of the result line. */
    static final String RESULT = "RESULT ";

    @Option(names = "--layer", required = true, description = "baseline, maha-efficient-<mean|convex|nash>, maha-reference-<...>")
    String layer;
    @Option(names = "--n", required = true, description = "sequence length")
    int n;
    @Option(names = "--width", required = true, description = "width d")
    int width;
    @Option(names = "--heads", required = true, description = "heads h")
    int heads;
    @Option(names = "--warmup", defaultValue = "2", description = "warm-up forward + backward steps (>= 1)")
    int warmup;
    @Option(names = "--repeats", defaultValue = "5", description = "timed runs of each kind (>= 1)")
    int repeats;
    @Option(names = "--min-seconds", defaultValue = "2",
            description = "warm-up and each timed kind run at least this long (more runs, up to 100, for small n)")
    double minSeconds;
    @Option(names = "--measure", defaultValue = "time",
            description = "time: FLOPs counted and latency; memory: peak memory; flops: FLOPs only (${COMPLETION-CANDIDATES})")
    Measure measure;

    /** What one probe measures. */
    enum Measure {
        /** FLOPs counted on the first step, then warm-up and timed forward and forward + backward runs. */
        time,
        /** Warm-up, then the peak resident memory of one forward + backward. */
        memory,
        /** FLOPs counted on one forward + backward. */
        flops
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PointProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (warmup < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--warmup must be >= 1, got " + warmup);
        if (!(minSeconds >= 0)) throw new CommandLine.ParameterException(new CommandLine(this), "--min-seconds must be >= 0, got " + minSeconds);
        if (repeats < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--repeats must be >= 1, got " + repeats);
        PointSpec spec = new PointSpec(layer, n, width, heads, measure != Measure.flops);
        PointResult result = PointResult.analytic(spec, "ok", null);
        try (LayerStep step = new LayerStep(layer, 1, n, width, heads)) {
            switch (measure) {
                case flops -> {
                    LayerFlops counted = step.countedFlops();
                    result = result.measured("flops-only", null, null, null, counted.forward(), counted.backward());
                }
                case memory -> {
                    repeat(step::forwardBackward, warmup, minSeconds);
                    result = result.measured("ok", null, null, PeakMemory.during(step::forwardBackward), null, null);
                }
                case time -> {
                    LayerFlops counted = step.countedFlops();
                    repeat(step::forwardBackward, warmup - 1, minSeconds);            // JIT-compiles the Java loops
                    repeat(step::forward, 1, minSeconds / 4);
                    Stats fwd = Stats.of(repeat(step::forward, repeats, minSeconds));
                    Stats fwdBwd = Stats.of(repeat(step::forwardBackward, repeats, minSeconds));
                    result = result.measured("ok", fwd, fwdBwd, null, counted.forward(), counted.backward());
                }
                default -> throw new IllegalStateException("unknown measure " + measure);
            }
        }
        System.out.println(RESULT + Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        return 0;
    }

    /** Most runs of one kind, whatever the size. */
    private static final int MAX_RUNS = 100;

    /**
     * Runs {@code action} at least {@code times} times and for at least {@code seconds} (at most
     * {@value #MAX_RUNS} times once both hold); returns each run's time in milliseconds.
     */
    private static double[] repeat(Runnable action, int times, double seconds) {
        double[] ms = new double[MAX_RUNS];
        int k = 0;
        long start = System.nanoTime();
        while (k < times || (k < MAX_RUNS && System.nanoTime() - start < seconds * 1e9)) {
            long t0 = System.nanoTime();
            action.run();
            double took = (System.nanoTime() - t0) / 1e6;
            if (k < MAX_RUNS) ms[k] = took;
            k++;
        }
        return java.util.Arrays.copyOf(ms, Math.min(k, MAX_RUNS));
    }
}
