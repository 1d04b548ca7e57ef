package dev.maha.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: the validation loss and bits per character of a {@code train-lm} checkpoint, over
 * the validation text of the corpus it was trained on (or of {@code --data}), next to the unigram
 * baseline.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false,
        description = "Validation loss and bits per character of a train-lm checkpoint.")
public final class Eval implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "FILE", description = "A train-lm checkpoint.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "FILE", description = "Evaluate on this text's validation split (default: the checkpoint's corpus).")
    Path data;

    @Option(names = "--windows", description = "Windows of the model's context length, evenly spread; 0 = consecutive windows over the whole validation text (default: ${DEFAULT-VALUE}).")
    int windows = 0;

    @Option(names = "--batch", description = "Windows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch = 16;

    @Override
    public Integer call() throws IOException {
        if (windows < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--windows (" + windows + ") must be >= 0");
        if (batch < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--batch (" + batch + ") must be >= 1");
        try (LmCheckpoint.Loaded loaded = LmCheckpoint.load(checkpoint)) {
            Corpus corpus = data != null ? Corpus.load(data) : Corpus.loadSource(loaded.contents().require(LmCheckpoint.DATA));
            int[] validation;
            try {
                validation = remap(corpus, loaded.vocab());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--data: " + e.getMessage(), e);
            }
            int count = windows == 0 ? validation.length / loaded.seqLen() : windows;
            long t0 = System.nanoTime();
            double loss = LmTask.meanLoss(loaded.model(), validation, loaded.seqLen(), batch, count);
            System.out.printf(Locale.ROOT, "%s (%s, step %s) on %s: %d windows of %d characters in %.1f s%n",
                    checkpoint, loaded.architecture().label(), loaded.contents().require(LmCheckpoint.STEP), corpus.source(),
                    Math.min(count, validation.length / loaded.seqLen()), loaded.seqLen(), (System.nanoTime() - t0) / 1e9);
            System.out.print(new SummaryTable("", "loss (nats/char)", "bits/char")
                    .row("model", SummaryTable.num("%.4f", loss), SummaryTable.num("%.3f", loss / Math.log(2)))
                    .row("unigram baseline", SummaryTable.num("%.4f", corpus.unigramBitsPerChar() * Math.log(2)),
                            SummaryTable.num("%.3f", corpus.unigramBitsPerChar())));
        }
        return 0;
    }

    /** The corpus's validation ids re-encoded in the checkpoint's vocabulary. */
    private static int[] remap(Corpus corpus, CharVocab target) {
        return target.encode(corpus.vocab().decode(corpus.validation()));
    }
}
