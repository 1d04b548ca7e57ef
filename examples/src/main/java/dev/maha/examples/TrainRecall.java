package dev.maha.examples;

import dev.maha.core.model.TransformerModel;
import dev.maha.optim.AdamW;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train-recall}: multi-query associative recall at long range ({@link RecallTask}), MAHA
 * against the dense baseline with the same width, depth and steps. Prints the validation loss and
 * answer accuracy of each, writes their loss curves into one PNG and a checkpoint per model.
 */
@Command(name = "train-recall", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Multi-query associative recall over long sequences: MAHA vs the dense MHSA baseline.")
public final class TrainRecall implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "maha, mhsa, or both (default: both).")
    TrainLm.ModelChoice model = TrainLm.ModelChoice.BOTH;

    @Option(names = "--length", description = "Sequence length n, at least 1024 (default: ${DEFAULT-VALUE}).")
    int length = 1024;

    @Option(names = "--pairs", description = "Key-value pairs stored at the start (default: ${DEFAULT-VALUE}).")
    int pairs = 4;

    @Option(names = "--queries", description = "Queries at the end, each followed by its answer (default: ${DEFAULT-VALUE}).")
    int queries = 4;

    @Option(names = "--keys", description = "Key alphabet size (default: ${DEFAULT-VALUE}).")
    int keys = 16;

    @Option(names = "--values", description = "Value alphabet size (default: ${DEFAULT-VALUE}).")
    int values = 16;

    @Option(names = "--filler", description = "Filler alphabet size (default: ${DEFAULT-VALUE}).")
    int filler = 16;

    @Mixin
    ModelOptions modelOptions = ModelOptions.withDefaults(64, 64);

    @Mixin
    TrainOptions trainOptions = TrainOptions.withDefaults(200, 4, 20);

    @Option(names = "--eval-every", description = "Validate every this many steps (default: ${DEFAULT-VALUE}).")
    int evalEvery = 50;

    @Option(names = "--eval-batches", description = "Validation batches of --batch sequences, fixed (default: ${DEFAULT-VALUE}).")
    int evalBatches = 4;

    @Option(names = "--checkpoint-every", description = "Save a checkpoint every this many steps, and at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = 100;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/train-recall-<model>).")
    Path out;

    @Override
    public Integer call() throws IOException {
        train(System.out);
        return 0;
    }

    /** Trains the chosen models and returns their results. */
    List<Trainer.Result> train(PrintStream log) throws IOException {
        validate();
        RecallTask task = new RecallTask(length, pairs, queries, keys, values, filler, trainOptions.batch, trainOptions.seed,
                evalBatches);
        log.printf(Locale.ROOT, "Associative recall: n = %d, %d pairs at the start, %d queries at the end, %d keys, %d values;"
                + " chance accuracy %.1f%%%n", length, pairs, queries, keys, values, 100.0 / values);
        List<Architecture> archs = model == TrainLm.ModelChoice.BOTH ? List.of(Architecture.MHSA, Architecture.MAHA)
                : List.of(Architecture.valueOf(model.name()));
        Path root = out != null ? out : Path.of("runs", "train-recall-" + model.name().toLowerCase(Locale.ROOT));
        List<Trainer.Result> results = new ArrayList<>();
        for (Architecture arch : archs) {
            Path dir = archs.size() > 1 ? root.resolve(arch.label()) : root;
            TransformerModel m = modelOptions.build(arch, task.vocabSize(), length, trainOptions.seed);
            log.printf(Locale.ROOT, "Model %s: %,d parameters; %d steps of %d sequences%n", modelOptions.describe(arch),
                    m.parameterCount(), trainOptions.steps, trainOptions.batch);
            Path checkpoint = dir.resolve("checkpoint.safetensors");
            try (AdamW opt = trainOptions.optimizer(m)) {
                results.add(Trainer.run(arch.label(), m, opt, trainOptions.schedule(), trainOptions.clip, task,
                        new Trainer.Plan(0, trainOptions.steps, trainOptions.steps, evalEvery, checkpointEvery), new History(), 0,
                        (step, h, seconds) -> RunCheckpoint.save(checkpoint, m, opt, metadata(arch, step, seconds, h)), log));
            }
            log.println("Checkpoint: " + checkpoint);
        }
        Path plot = root.resolve("loss.png");
        LossChart.write(plot, String.format(Locale.ROOT, "associative recall, n = %d, %d pairs", length, pairs), results,
                "chance (uniform over the values)", Math.log(values));
        SummaryTable table = new SummaryTable("model", "parameters", "steps", "train loss", "val loss", "val accuracy",
                "tokens/s", "wall time");
        table.row("chance", "-", "-", "-", SummaryTable.num("%.4f", Math.log(values)), SummaryTable.num("%.1f%%", 100.0 / values),
                "-", "-");
        for (Trainer.Result r : results) {
            History.Validation v = r.history().lastValidation();
            table.row(r.label(), String.format(Locale.ROOT, "%,d", r.parameters()), Integer.toString(r.history().train().size()),
                    SummaryTable.num("%.4f", r.history().recentTrainLoss(20)), SummaryTable.num("%.4f", v.loss()),
                    SummaryTable.num("%.1f%%", 100 * v.accuracy()), SummaryTable.num("%,.0f", r.tokensPerSecond()),
                    Progress.clock(r.seconds()));
        }
        log.println();
        log.println("Summary (train loss: mean of the last 20 steps; losses in nats per answer):");
        log.print(table);
        log.println("Loss curve: " + plot);
        return results;
    }

    private Map<String, String> metadata(Architecture arch, long step, double seconds, History h) {
        Map<String, String> m = new TreeMap<>();
        m.put(LmCheckpoint.TASK, "train-recall");
        m.put(LmCheckpoint.ARCHITECTURE, arch.label());
        m.put(LmCheckpoint.MODEL_ARGS, String.join(" ", modelOptions.toArgs()));
        m.put(LmCheckpoint.TRAIN_ARGS, String.join(" ", trainOptions.toArgs()));
        m.put("recall", String.format(Locale.ROOT, "--length=%d --pairs=%d --queries=%d --keys=%d --values=%d --filler=%d",
                length, pairs, queries, keys, values, filler));
        m.put(LmCheckpoint.STEP, Long.toString(step));
        m.put(LmCheckpoint.SECONDS, Double.toString(seconds));
        m.put(LmCheckpoint.HISTORY_TRAIN, h.serializeTrain());
        m.put(LmCheckpoint.HISTORY_VALIDATION, h.serializeValidation());
        return m;
    }

    private void validate() {
        List<String> errors = trainOptions.problems();
        errors.addAll(modelOptions.problems(model != TrainLm.ModelChoice.MHSA));
        if (length < 1024) errors.add("--length (" + length + ") must be >= 1024 (a long-range task)");
        if (pairs < 1 || pairs > keys) errors.add("--pairs (" + pairs + ") must lie in [1, --keys (" + keys + ")]");
        if (queries < 1) errors.add("--queries (" + queries + ") must be >= 1");
        if (2 * (pairs + queries) > length) errors.add("--pairs and --queries (" + pairs + ", " + queries + ") do not fit in --length (" + length + ")");
        if (values < 1) errors.add("--values (" + values + ") must be >= 1");
        if (filler < 1) errors.add("--filler (" + filler + ") must be >= 1");
        if (evalEvery < 1) errors.add("--eval-every (" + evalEvery + ") must be >= 1");
        if (evalBatches < 1) errors.add("--eval-batches (" + evalBatches + ") must be >= 1");
        if (checkpointEvery < 1) errors.add("--checkpoint-every (" + checkpointEvery + ") must be >= 1");
        if (!errors.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
    }
}
