package dev.maha.bench.report;

import dev.maha.autograd.NativeEnvironment;
import dev.maha.bench.AttentionLayers;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Interleaved comparison of attention layers in one JVM: after warm-up, each round runs one forward +
 * backward step of every layer in turn, and the speed-up of the first layer over each other one is taken
 * per round, then summarized by its median. On a shared machine whose speed drifts over minutes, the
 * rounds see the same conditions for every layer, where sequential trials (JMH runs one layer's trial
 * after the other's) can each land in a different phase.
 *
 * <pre>{@code
 * java -cp maha-bench/target/benchmarks.jar dev.maha.bench.report.Compare --n 4096 \
 *     --layers baseline,maha-efficient-nash,maha-efficient-mean --rounds 15
 * }</pre>
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times attention layers in alternating rounds in one JVM and prints per-round speed-ups over the first layer.")
public final class Compare implements Callable<Integer> {
    @CommandLine.Mixin
    LayerOptions shape = new LayerOptions();

    @Option(names = "--layers", split = ",", defaultValue = "baseline,maha-efficient-nash",
            description = "layers to compare, the reference first (default ${DEFAULT-VALUE}); from baseline, maha-efficient-*, maha-reference-*")
    List<String> layers;

    @Option(names = "--rounds", defaultValue = "15", description = "timed rounds (default ${DEFAULT-VALUE})")
    int rounds;

    public static void main(String[] args) throws Exception {
        int status = NativeEnvironment.relaunchIfNeeded(Compare.class, args);
        System.exit(status >= 0 ? status : new CommandLine(new Compare()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine cl = new CommandLine(this);
        if (layers.size() < 2) throw new CommandLine.ParameterException(cl, "--layers: need at least two layers, got " + layers);
        for (String layer : layers) {
            if (!AttentionLayers.NAMES.contains(layer)) {
                throw new CommandLine.ParameterException(cl, "--layers: unknown layer '" + layer + "', expected names from " + AttentionLayers.NAMES);
            }
        }
        shape.check(cl);
        if (rounds < 1) throw new CommandLine.ParameterException(cl, "--rounds must be >= 1, got " + rounds);
        LayerStep[] steps = new LayerStep[layers.size()];
        double[][] ms = new double[steps.length][rounds];
        try {
            for (int i = 0; i < steps.length; i++) steps[i] = new LayerStep(layers.get(i), 1, shape.n, shape.width, shape.heads);
            for (int r = 0; r < shape.warmup; r++) for (LayerStep s : steps) s.forwardBackward();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < steps.length; i++) {
                    long start = System.nanoTime();
                    steps[i].forwardBackward();
                    ms[i][r] = (System.nanoTime() - start) / 1e6;
                }
            }
        } finally {
            for (LayerStep s : steps) if (s != null) s.close();
        }
        System.out.print(summary(layers, ms));
        return 0;
    }

    /**
     * The text summary: per layer the median, minimum and maximum step time; per other layer the median
     * (and range) of the per-round ratio first / other.
     *
     * @param ms [layer][round] step times in milliseconds
     */
    static String summary(List<String> layers, double[][] ms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            double[] s = ms[i].clone();
            Arrays.sort(s);
            sb.append(String.format(Locale.ROOT, "%-24s median %8.1f ms   min %8.1f   max %8.1f%n", layers.get(i), median(s), s[0], s[s.length - 1]));
        }
        for (int i = 1; i < layers.size(); i++) {
            double[] ratio = new double[ms[0].length];
            for (int r = 0; r < ratio.length; r++) ratio[r] = ms[0][r] / ms[i][r];
            Arrays.sort(ratio);
            sb.append(String.format(Locale.ROOT, "speed-up %s / %s: median %.2fx (min %.2fx, max %.2fx) over %d rounds%n",
                    layers.get(0), layers.get(i), median(ratio), ratio[0], ratio[ratio.length - 1], ratio.length));
        }
        return sb.toString();
    }

    private static double median(double[] sorted) {
        int m = sorted.length;
        return m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    }
}
