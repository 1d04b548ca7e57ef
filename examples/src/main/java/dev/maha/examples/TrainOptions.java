package dev.maha.examples;

import dev.maha.optim.AdamW;
import dev.maha.optim.schedule.WarmupCosine;
import dev.maha.core.nn.Module;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The optimisation hyper-parameters shared by the training commands: AdamW with a warm-up + cosine
 * learning-rate schedule and global-norm gradient clipping. A checkpoint stores them
 * ({@link #toArgs()}), and a resumed run takes them from there, so it continues on the same schedule.
 */
public final class TrainOptions {
    @Option(names = "--steps", description = "Optimizer steps; the schedule decays to --min-lr at the last one (default: ${DEFAULT-VALUE}).")
    int steps = 1000;

    @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch = 8;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 3e-3;

    @Option(names = "--min-lr", description = "Final learning rate (default: --lr / 10).")
    Double minLr;

    @Option(names = "--warmup", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup = 30;

    @Option(names = "--beta1", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
    double beta1 = 0.9;

    @Option(names = "--beta2", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
    double beta2 = 0.99;

    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = 0.01;

    @Option(names = "--clip", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clip = 1.0;

    @Option(names = "--seed", description = "Seed of the initialisation, the batches and dropout (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    /** Options with other defaults for {@code --steps}, {@code --batch} and {@code --warmup} (set before picocli reads them). */
    static TrainOptions withDefaults(int steps, int batch, int warmup) {
        TrainOptions o = new TrainOptions();
        o.steps = steps;
        o.batch = batch;
        o.warmup = warmup;
        return o;
    }

    /** The problems with these values, each naming its option and the value (empty when all are fine). */
    List<String> problems() {
        List<String> errors = new ArrayList<>();
        if (steps < 1) errors.add("--steps (" + steps + ") must be >= 1");
        if (batch < 1) errors.add("--batch (" + batch + ") must be >= 1");
        if (!(lr > 0) || !Double.isFinite(lr)) errors.add("--lr (" + lr + ") must be finite and > 0");
        if (minLr != null && !(minLr >= 0 && minLr <= lr)) errors.add("--min-lr (" + minLr + ") must lie in [0, --lr]");
        if (warmup < 0 || warmup >= Math.max(steps, 1)) errors.add("--warmup (" + warmup + ") must lie in [0, --steps)");
        if (!(beta1 >= 0 && beta1 < 1)) errors.add("--beta1 (" + beta1 + ") must lie in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) errors.add("--beta2 (" + beta2 + ") must lie in [0, 1)");
        if (!(weightDecay >= 0)) errors.add("--weight-decay (" + weightDecay + ") must be >= 0");
        if (!(clip >= 0)) errors.add("--clip (" + clip + ") must be >= 0");
        return errors;
    }

    /** The learning-rate schedule over {@link #steps}. */
    public WarmupCosine schedule() {
        return new WarmupCosine(lr, warmup, steps, minLr != null ? minLr : lr / 10);
    }

    /** AdamW over the model's parameters. */
    public AdamW optimizer(Module model) {
        return AdamW.builder(lr).betas(beta1, beta2).weightDecay(weightDecay).build(model.namedParameters());
    }

    /** The options' command-line form, every option with its value. */
    public List<String> toArgs() {
        return OptionArgs.of(this);
    }

    /** Reads options written by {@link #toArgs()} (space-separated). */
    public static TrainOptions parse(String args) {
        return OptionArgs.parse(new TrainOptions(), args, "training options");
    }
}
