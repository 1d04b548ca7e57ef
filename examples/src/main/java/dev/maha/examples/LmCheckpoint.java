package dev.maha.examples;

import dev.maha.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata a language-model checkpoint carries, and rebuilding its model: the architecture, the
 * model options, the context length, the character vocabulary, the corpus (source and SHA-256), the
 * training options, the step, the wall time and the loss history.
 */
final class LmCheckpoint {
    static final String TASK = "task";
    static final String TASK_LM = "train-lm";
    static final String ARCHITECTURE = "architecture";
    static final String MODEL_ARGS = "model_args";
    static final String TRAIN_ARGS = "train_args";
    static final String SEQ_LEN = "seq_len";
    static final String VOCAB = "vocab";
    static final String DATA = "data";
    static final String DATA_SHA256 = "data_sha256";
    static final String STEP = "step";
    static final String SECONDS = "seconds";
    static final String EVAL_EVERY = "eval_every";
    static final String EVAL_WINDOWS = "eval_windows";
    static final String HISTORY_TRAIN = "history_train";
    static final String HISTORY_VALIDATION = "history_validation";

    /** A checkpoint's model, rebuilt and loaded, with what is needed to use it. */
    record Loaded(TransformerModel model, Architecture architecture, ModelOptions options, int seqLen, CharVocab vocab,
                  RunCheckpoint.Contents contents) implements AutoCloseable {
        @Override
        public void close() {
            contents.close();
        }
    }

    private LmCheckpoint() {
    }

    /** The metadata of a run's checkpoint. */
    static Map<String, String> metadata(Architecture arch, ModelOptions model, TrainOptions train, int seqLen, Corpus corpus,
                                        int evalEvery, int evalWindows, long step, double seconds, History history) {
        Map<String, String> m = new TreeMap<>();
        m.put(TASK, TASK_LM);
        m.put(ARCHITECTURE, arch.label());
        m.put(MODEL_ARGS, String.join(" ", model.toArgs()));
        m.put(TRAIN_ARGS, String.join(" ", train.toArgs()));
        m.put(SEQ_LEN, Integer.toString(seqLen));
        m.put(VOCAB, corpus.vocab().serialize());
        m.put(DATA, corpus.source());
        m.put(DATA_SHA256, corpus.sha256());
        m.put(EVAL_EVERY, Integer.toString(evalEvery));
        m.put(EVAL_WINDOWS, Integer.toString(evalWindows));
        m.put(STEP, Long.toString(step));
        m.put(SECONDS, Double.toString(seconds));
        m.put(HISTORY_TRAIN, history.serializeTrain());
        m.put(HISTORY_VALIDATION, history.serializeValidation());
        return m;
    }

    /**
     * Reads and verifies {@code file}, rebuilds its model and loads the parameters (and the dropout
     * streams). The caller closes the result.
     *
     * @throws IOException naming the file if it is corrupted, not a language-model checkpoint, or does
     *                     not match the model its metadata describe
     */
    static Loaded load(Path file) throws IOException {
        RunCheckpoint.Contents c = RunCheckpoint.read(file);
        try {
            if (!TASK_LM.equals(c.metadata().get(TASK))) {
                throw new IOException("checkpoint " + file + " is not a train-lm checkpoint (task '"
                        + c.metadata().get(TASK) + "')");
            }
            Architecture arch;
            ModelOptions options;
            int seqLen;
            CharVocab vocab;
            long seed;
            try {
                arch = Architecture.valueOf(c.require(ARCHITECTURE).toUpperCase(Locale.ROOT));
                options = ModelOptions.parse(c.require(MODEL_ARGS));
                seqLen = Integer.parseInt(c.require(SEQ_LEN));
                vocab = CharVocab.parse(c.require(VOCAB));
                seed = TrainOptions.parse(c.require(TRAIN_ARGS)).seed;      // dropout streams are seeded from it
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + " has unreadable metadata: " + e.getMessage(), e);
            }
            TransformerModel model = options.build(arch, vocab.size(), seqLen, seed);
            c.loadModel(model);
            return new Loaded(model, arch, options, seqLen, vocab, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
