package dev.maha.examples;

import dev.maha.core.model.TransformerModel;
import dev.maha.optim.AdamW;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train-lm}: a character-level causal language model on the bundled King James Bible (or any
 * UTF-8 text), with MAHA blocks, the dense baseline, or both one after the other. Prints progress and
 * validations, writes checkpoints (every {@code --checkpoint-every} steps and at the end) and a
 * loss-curve PNG into {@code --out}, then a summary table against the unigram baseline and a sample.
 */
@Command(name = "train-lm", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Train a character-level language model (MAHA or the dense MHSA baseline) on the bundled"
                + " King James Bible or on --data FILE.")
public final class TrainLm implements Callable<Integer> {
    /** The models {@code --model} can name. */
    enum ModelChoice { MAHA, MHSA, BOTH }

    /** Options a resumed run may set; the rest come from the checkpoint. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--out", "--stop-at", "--checkpoint-every",
            "--prompt", "--sample-length", "--temperature", "--top-k", "--sample-seed");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "maha, mhsa, or both (trained one after the other; default: maha).")
    ModelChoice model = ModelChoice.MAHA;

    @Option(names = "--data", paramLabel = "FILE", description = "Train on this UTF-8 text instead of the bundled corpus.")
    Path data;

    @Option(names = "--seq-len", description = "Characters per training window, the model's context (default: ${DEFAULT-VALUE}).")
    int seqLen = 256;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TrainOptions trainOptions = new TrainOptions();

    @Option(names = "--eval-every", description = "Validate every this many steps (default: ${DEFAULT-VALUE}).")
    int evalEvery = 100;

    @Option(names = "--eval-windows", description = "Validation windows of --seq-len characters, evenly spread over the validation text (default: ${DEFAULT-VALUE}).")
    int evalWindows = 32;

    @Option(names = "--checkpoint-every", description = "Save a checkpoint every this many steps, and at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 200;

    @Option(names = "--stop-at", paramLabel = "STEP", description = "Stop after this step, as if interrupted (the schedule still plans for --steps); continue with --resume.")
    Long stopAt;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/train-lm-<model>; when resuming, the checkpoint's folder).")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue the run saved in this checkpoint; its configuration is used.")
    Path resume;

    @Mixin
    SampleOptions sampling = new SampleOptions();

    @Override
    public Integer call() throws IOException {
        train(System.out);
        return 0;
    }

    /** Runs the command (trains, writes outputs, prints) and returns each model's result. */
    List<Trainer.Result> train(PrintStream log) throws IOException {
        if (resume != null) return List.of(resumeRun(log));
        validate();
        Corpus corpus = Corpus.load(data);
        log.printf(Locale.ROOT, "Corpus %s: %,d training and %,d validation characters, vocabulary %d; unigram baseline %.3f bits/char%n",
                corpus.source(), corpus.train().length, corpus.validation().length, corpus.vocab().size(),
                corpus.unigramBitsPerChar());
        List<Architecture> archs = model == ModelChoice.BOTH ? List.of(Architecture.MHSA, Architecture.MAHA)
                : List.of(Architecture.valueOf(model.name()));
        Path root = out != null ? out : Path.of("runs", "train-lm-" + model.name().toLowerCase(Locale.ROOT));
        List<Trainer.Result> results = new ArrayList<>();
        List<TransformerModel> models = new ArrayList<>();
        for (Architecture arch : archs) {
            Path dir = archs.size() > 1 ? root.resolve(arch.label()) : root;
            TransformerModel m = modelOptions.build(arch, corpus.vocab().size(), seqLen, trainOptions.seed);
            log.printf(Locale.ROOT, "Model %s: %,d parameters; %d steps of %d x %d characters%n",
                    modelOptions.describe(arch), m.parameterCount(), trainOptions.steps, trainOptions.batch, seqLen);
            try (AdamW opt = trainOptions.optimizer(m)) {
                results.add(session(arch, m, opt, modelOptions, trainOptions, corpus, dir, 0, new History(), 0, log));
            }
            models.add(m);
        }
        finish(root, corpus, results, models, log);
        return results;
    }

    private Trainer.Result resumeRun(PrintStream log) throws IOException {
        List<String> conflicting = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUME_OPTIONS.contains(o.longestName())) conflicting.add(o.longestName());
        }
        if (!conflicting.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume takes the model, data and training"
                    + " options from the checkpoint; remove " + String.join(", ", conflicting));
        }
        validateSampling();
        try (LmCheckpoint.Loaded loaded = LmCheckpoint.load(resume)) {
            RunCheckpoint.Contents c = loaded.contents();
            TrainOptions train = TrainOptions.parse(c.require(LmCheckpoint.TRAIN_ARGS));
            Corpus corpus = Corpus.loadSource(c.require(LmCheckpoint.DATA));
            if (!corpus.sha256().equals(c.require(LmCheckpoint.DATA_SHA256))) {
                throw new IOException("checkpoint " + resume + " was trained on a different text than " + corpus.source()
                        + " holds now (SHA-256 differs)");
            }
            long step = Long.parseLong(c.require(LmCheckpoint.STEP));
            History history = History.parse(c.require(LmCheckpoint.HISTORY_TRAIN), c.require(LmCheckpoint.HISTORY_VALIDATION));
            if (history.train().size() != step) {
                throw new IOException("checkpoint " + resume + " is inconsistent: step " + step + " but "
                        + history.train().size() + " training losses");
            }
            this.seqLen = loaded.seqLen();
            this.evalEvery = Integer.parseInt(c.require(LmCheckpoint.EVAL_EVERY));
            this.evalWindows = Integer.parseInt(c.require(LmCheckpoint.EVAL_WINDOWS));
            Path dir = out != null ? out : resume.toAbsolutePath().getParent();
            log.printf(Locale.ROOT, "Resuming %s at step %d of %d (%s)%n", resume, step, train.steps,
                    loaded.options().describe(loaded.architecture()));
            Trainer.Result result;
            try (AdamW opt = train.optimizer(loaded.model())) {
                c.loadOptimizer(opt);
                result = session(loaded.architecture(), loaded.model(), opt, loaded.options(), train, corpus, dir, step,
                        history, Double.parseDouble(c.require(LmCheckpoint.SECONDS)), log);
            }
            finish(dir, corpus, List.of(result), List.of(loaded.model()), log);
            return result;
        }
    }

    private Trainer.Result session(Architecture arch, TransformerModel m, AdamW opt, ModelOptions mo, TrainOptions to,
                                   Corpus corpus, Path dir, long start, History history, double priorSeconds,
                                   PrintStream log) throws IOException {
        long stop = stopAt != null ? Math.min(stopAt, to.steps) : to.steps;
        LmTask task = new LmTask(corpus.train(), corpus.validation(), to.batch, seqLen, to.seed, evalWindows);
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        Trainer.Result r = Trainer.run(arch.label(), m, opt, to.schedule(), to.clip, task,
                new Trainer.Plan(start, Math.max(start, stop), to.steps, evalEvery, checkpointEvery), history, priorSeconds,
                (step, h, seconds) -> RunCheckpoint.save(checkpoint, m, opt,
                        LmCheckpoint.metadata(arch, mo, to, seqLen, corpus, evalEvery, evalWindows, step, seconds, h)),
                log);
        log.println("Checkpoint: " + checkpoint);
        return r;
    }

    private void finish(Path dir, Corpus corpus, List<Trainer.Result> results, List<TransformerModel> models, PrintStream log)
            throws IOException {
        Path plot = dir.resolve("loss.png");
        double unigram = corpus.unigramBitsPerChar();
        LossChart.write(plot, "train-lm on " + corpus.source(), results, "unigram baseline (validation)", unigram * Math.log(2));
        SummaryTable table = new SummaryTable("model", "parameters", "steps", "train loss", "val loss", "val bits/char",
                "tokens/s", "wall time");
        table.row("unigram baseline", "-", "-", "-", SummaryTable.num("%.4f", unigram * Math.log(2)),
                SummaryTable.num("%.3f", unigram), "-", "-");
        for (Trainer.Result r : results) {
            History.Validation v = r.history().lastValidation();
            table.row(r.label(), String.format(Locale.ROOT, "%,d", r.parameters()), Integer.toString(r.history().train().size()),
                    SummaryTable.num("%.4f", r.history().recentTrainLoss(50)), SummaryTable.num("%.4f", v == null ? Double.NaN : v.loss()),
                    SummaryTable.num("%.3f", v == null ? Double.NaN : v.loss() / Math.log(2)),
                    SummaryTable.num("%,.0f", r.tokensPerSecond()), Progress.clock(r.seconds()));
        }
        log.println();
        log.println("Summary (train loss: mean of the last 50 steps; losses in nats per character):");
        log.print(table);
        log.println("Loss curve: " + plot);
        for (int i = 0; i < results.size(); i++) {
            log.printf(Locale.ROOT, "%nSample from %s (temperature %s, top-k %d):%n%s%n", results.get(i).label(),
                    sampling.temperature, sampling.topK, sampling.generate(models.get(i), corpus.vocab()));
        }
    }

    private void validate() {
        List<String> errors = trainOptions.problems();
        errors.addAll(modelOptions.problems(model != ModelChoice.MHSA));
        if (seqLen < 2) errors.add("--seq-len (" + seqLen + ") must be >= 2");
        if (evalEvery < 1) errors.add("--eval-every (" + evalEvery + ") must be >= 1");
        if (evalWindows < 1) errors.add("--eval-windows (" + evalWindows + ") must be >= 1");
        if (checkpointEvery < 1) errors.add("--checkpoint-every (" + checkpointEvery + ") must be >= 1");
        if (stopAt != null && stopAt < 1) errors.add("--stop-at (" + stopAt + ") must be >= 1");
        errors.addAll(sampling.problems());
        if (!errors.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
    }

    private void validateSampling() {
        List<String> errors = sampling.problems();
        if (stopAt != null && stopAt < 1) errors.add("--stop-at (" + stopAt + ") must be >= 1");
        if (checkpointEvery < 1) errors.add("--checkpoint-every (" + checkpointEvery + ") must be >= 1");
        if (!errors.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
    }
}
