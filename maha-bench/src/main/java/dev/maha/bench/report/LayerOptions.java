package dev.maha.bench.report;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The shape and warm-up options shared by the {@link Profile} and {@link Compare} commands (a picocli mixin). */
final class LayerOptions {
    @Option(names = "--n", defaultValue = "4096", description = "sequence length (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--width", defaultValue = "256", description = "model width d (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--heads", defaultValue = "4", description = "heads h (default ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--warmup", defaultValue = "20",
            description = "untimed steps first (default ${DEFAULT-VALUE}; MAHA's Java kernels need about a dozen to be compiled)")
    int warmup;

    /** Rejects a non-positive n, width or heads and a negative warm-up, naming the option. */
    void check(CommandLine cl) {
        if (n < 1) throw new CommandLine.ParameterException(cl, "--n must be >= 1, got " + n);
        if (width < 1 || heads < 1) throw new CommandLine.ParameterException(cl, "--width and --heads must be >= 1, got " + width + " and " + heads);
        if (warmup < 0) throw new CommandLine.ParameterException(cl, "--warmup must be >= 0, got " + warmup);
    }
}
