package dev.maha.bench;

import dev.maha.bench.report.LayerStep;

/**
 * Peak memory of one forward + backward of an attention layer ({@link PeakMemory}: resident memory
 * sampled every millisecond, the peak above the level before the step; the layer's parameters and input
 * already allocated, one step already run to warm up). Run one layer per
 * JVM:
 *
 * <pre>{@code
 * java -cp maha-bench/target/benchmarks.jar dev.maha.bench.LayerMemory baseline 4096
 * }</pre>
 * Prints {@code layer n peak_bytes}.
 */
public final class LayerMemory {
    private LayerMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LayerMemory <" + String.join("|", AttentionLayers.NAMES) + "> <n>");
            System.exit(2);
        }
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        try (LayerStep step = new LayerStep(name, 1, n, LayerBench.WIDTH, LayerBench.HEADS)) {
            step.forwardBackward();
            System.out.println(name + " " + n + " " + PeakMemory.during(step::forwardBackward));
        }
    }
}
