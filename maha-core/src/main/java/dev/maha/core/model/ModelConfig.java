package dev.maha.core.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The model-level configuration of a {@link TransformerModel}, validated on construction (every
 * problem names its field, for example {@code "ModelConfig: maxLength (0) must be >= 1"}). What the
 * blocks look like (heads, MAHA scales, windows, ...) is the block factory's business, not this
 * record's.
 *
 * <pre>{@code
 * ModelConfig lm = ModelConfig.languageModel(50_000, 256, 1024, 6);          // dropout 0.1, learned positions, float32
 * ModelConfig cls = ModelConfig.classifier(30_000, 128, 512, 4, 2).withDropout(0).withSeed(7);
 * }</pre>
 *
 * @param vocabSize vocabulary size V ≥ 1 (token ids lie in [0, V))
 * @param width     model width d ≥ 1
 * @param maxLength longest sequence n the model accepts ≥ 1 (the size of the learned position table)
 * @param layers    number of blocks ≥ 1
 * @param dropout   drop probability in [0, 1) after the embeddings (blocks have their own)
 * @param positions {@link Positions#LEARNED} or {@link Positions#NONE}
 * @param head      {@link Head#TIED_LM} or {@link Head#classifier(int)}
 * @param seed      seed of every initialisation and dropout mask of the model's own modules, and
 *                  (through {@link #layerSeed}) of the baseline blocks
 * @param dtype     FLOAT or DOUBLE, the type of every parameter
 */
public record ModelConfig(int vocabSize, int width, int maxLength, int layers, double dropout, Positions positions,
                          Head head, long seed, DataType dtype) {

    /** How token positions enter the model. */
    public enum Positions {
        /** A learned table [maxLength, d] added to the token embeddings (GPT-2 style). */
        LEARNED,
        /**
         * Nothing is added: the blocks must handle order themselves. Per-scale rotary positions, when
         * a MAHA configuration uses them, live inside the MAHA layer (spec §6), not in the model.
         */
        NONE
    }

    /** What the model computes from the final hidden states. */
    public sealed interface Head permits TiedLm, Classifier {
        /** The causal-LM head: logits = h · Eᵀ with the token embedding E, no parameters of its own. */
        Head TIED_LM = new TiedLm();

        /** A classification head over {@code numClasses} ≥ 1 classes. */
        static Head classifier(int numClasses) {
            return new Classifier(numClasses);
        }
    }

    /** The tied LM head (use {@link Head#TIED_LM}). */
    public record TiedLm() implements Head {
        @Override
        public String toString() {
            return "TIED_LM";
        }
    }

    /**
     * Masked mean-pooling over the valid positions, then Linear(d, numClasses).
     *
     * @param numClasses number of classes C ≥ 1
     */
    public record Classifier(int numClasses) implements Head {
        /** Checks numClasses ≥ 1. */
        public Classifier {
            if (numClasses < 1) {
                throw new IllegalArgumentException("ModelConfig: head CLASSIFIER numClasses (" + numClasses + ") must be >= 1");
            }
        }

        @Override
        public String toString() {
            return "CLASSIFIER(" + numClasses + ")";
        }
    }

    /** Validates every field. */
    public ModelConfig {
        if (vocabSize < 1) throw new IllegalArgumentException("ModelConfig: vocabSize (" + vocabSize + ") must be >= 1");
        if (width < 1) throw new IllegalArgumentException("ModelConfig: width (" + width + ") must be >= 1");
        if (maxLength < 1) throw new IllegalArgumentException("ModelConfig: maxLength (" + maxLength + ") must be >= 1");
        if (layers < 1) throw new IllegalArgumentException("ModelConfig: layers (" + layers + ") must be >= 1");
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("ModelConfig: dropout (" + dropout + ") must be in [0, 1)");
        }
        if (positions == null) throw new IllegalArgumentException("ModelConfig: positions must not be null (LEARNED or NONE)");
        if (head == null) throw new IllegalArgumentException("ModelConfig: head must not be null (TIED_LM or CLASSIFIER)");
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("ModelConfig: dtype (" + dtype + ") must be FLOAT or DOUBLE");
        }
    }

    /** A causal language model: tied LM head, learned positions, dropout 0.1, seed 0, float32. */
    public static ModelConfig languageModel(int vocabSize, int width, int maxLength, int layers) {
        return new ModelConfig(vocabSize, width, maxLength, layers, 0.1, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT);
    }

    /** A sequence classifier over {@code numClasses}: learned positions, dropout 0.1, seed 0, float32. */
    public static ModelConfig classifier(int vocabSize, int width, int maxLength, int layers, int numClasses) {
        return new ModelConfig(vocabSize, width, maxLength, layers, 0.1, Positions.LEARNED, Head.classifier(numClasses), 0,
                DataType.FLOAT);
    }

    /** A copy with another dropout. */
    public ModelConfig withDropout(double p) {
        return new ModelConfig(vocabSize, width, maxLength, layers, p, positions, head, seed, dtype);
    }

    /** A copy with other positions. */
    public ModelConfig withPositions(Positions p) {
        return new ModelConfig(vocabSize, width, maxLength, layers, dropout, p, head, seed, dtype);
    }

    /** A copy with another head. */
    public ModelConfig withHead(Head h) {
        return new ModelConfig(vocabSize, width, maxLength, layers, dropout, positions, h, seed, dtype);
    }

    /** A copy with another seed. */
    public ModelConfig withSeed(long s) {
        return new ModelConfig(vocabSize, width, maxLength, layers, dropout, positions, head, s, dtype);
    }

    /** A copy with another parameter type. */
    public ModelConfig withDtype(DataType t) {
        return new ModelConfig(vocabSize, width, maxLength, layers, dropout, positions, head, seed, t);
    }

    /** Whether the head is the tied LM head. */
    public boolean isLanguageModel() {
        return head instanceof TiedLm;
    }

    /** The seed of block {@code layer} (0-based), derived from {@link #seed()}; block factories may use it. */
    public long layerSeed(int layer) {
        return stream(1000L + layer);
    }

    /** Seed of one of the model's own parts (0 = token embedding, 1 = positions, 2 = dropout, 3 = classifier). */
    long stream(long part) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (part + 1))).nextLong();
    }
}
