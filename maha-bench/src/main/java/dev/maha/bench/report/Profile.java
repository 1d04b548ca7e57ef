package dev.maha.bench.report;

import dev.maha.autograd.OpProfiler;
import dev.maha.bench.AttentionLayers;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where a layer's forward+backward time goes, per op: runs warm-up steps, then timed steps under an
 * {@link OpProfiler}, and prints the per-op table (milliseconds per step) and the step's wall time:
 *
 * <pre>{@code
 * java -cp maha-bench/target/benchmarks.jar dev.maha.bench.report.Profile --layer maha-efficient-nash --n 4096
 * }</pre>
 *
 * It runs in the environment of {@link dev.maha.autograd.NativeEnvironment} (relaunching itself when a
 * variable is missing). A diagnostic, not a benchmark: latency figures come from JMH or {@link Report}.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the time per op of an attention layer's forward+backward step.")
public final class Profile implements Callable<Integer> {
    @CommandLine.Mixin
    LayerOptions shape = new LayerOptions();

    @Option(names = "--layer", defaultValue = "maha-efficient-nash", description = "one of ${COMPLETION-CANDIDATES}", completionCandidates = LayerNames.class)
    String layer;

    @Option(names = "--steps", defaultValue = "10", description = "timed steps (default ${DEFAULT-VALUE})")
    int steps;

    /** The layer names, for picocli's completion and help. */
    static final class LayerNames extends java.util.ArrayList<String> {
        LayerNames() {
            super(AttentionLayers.NAMES);
        }
    }

    /**
     * The process's minor page faults so far (Linux {@code /proc/self/stat}, field 10), or −1 where that
     * file does not exist: memory the allocator hands back to the system is faulted in again on reuse.
     */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        int status = dev.maha.autograd.NativeEnvironment.relaunchIfNeeded(Profile.class, args);
        System.exit(status >= 0 ? status : new CommandLine(new Profile()).execute(args));
    }

    @Override
    public Integer call() {
        if (!AttentionLayers.NAMES.contains(layer)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--layer: unknown layer '" + layer + "', expected one of " + AttentionLayers.NAMES);
        }
        shape.check(new CommandLine(this));
        if (steps < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--steps must be >= 1, got " + steps);
        try (LayerStep step = new LayerStep(layer, 1, shape.n, shape.width, shape.heads)) {
            for (int i = 0; i < shape.warmup; i++) step.forwardBackward();
            try (OpProfiler prof = OpProfiler.open()) {
                long faults = minorFaults();
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) step.forwardBackward();
                double stepMs = (System.nanoTime() - start) / 1e6 / steps;
                faults = minorFaults() - faults;
                System.out.print(prof.table(steps));
                System.out.printf("step wall time %.2f ms (outside ops %.2f ms)%n", stepMs, stepMs - prof.totalNanos() / 1e6 / steps);
                if (faults >= 0) System.out.printf("minor page faults per step: %d%n", faults / steps);
            }
        }
        return 0;
    }
}
