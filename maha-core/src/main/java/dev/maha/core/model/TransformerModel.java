package dev.maha.core.model;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Memory;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import dev.maha.core.nn.Dropout;
import dev.maha.core.nn.Embedding;
import dev.maha.core.nn.LayerNorm;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import dev.maha.core.nn.ModuleList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A transformer over token sequences built from any {@link SequenceBlock}: the dense baseline
 * ({@link #baseline}) or MAHA's hybrid block (through the {@link BlockFactory} constructor).
 *
 * <pre>
 *   x = E[tokens] (+ P[0..n) with learned positions)          [B, n, d]
 *   x = Dropout(x);  x, aux_i = block_i(x, keyValid)  for i = 0..layers−1
 *   h = LN(x)
 *   TIED_LM:    logits = h · Eᵀ                                  [B, n, V]   (no parameters of its own)
 *   CLASSIFIER: logits = W · mean_{valid j} h[:, j] + b          [B, C]
 * </pre>
 * {@link #forward} returns the logits and the sum of the blocks' auxiliary losses (rank 0).
 *
 * <pre>{@code
 * ModelConfig cfg = ModelConfig.languageModel(256, 64, 128, 2).withDropout(0);
 * TransformerModel baseline = TransformerModel.baseline(cfg, 4, true);
 * TransformerModel maha = new TransformerModel(cfg, i -> new HybridBlock(mahaConfig(i)));
 * try (Scope step = Scope.open()) {
 *     Tensor loss = baseline.lmLoss(tokens);           // tokens: int64 [B, n]
 *     loss.backward();
 * }
 * int[] text = baseline.generate(prompt, 50, new Sampler(0.8, 40, 1));
 * }</pre>
 *
 * <p>Parameter names: {@code tokens.weight} [V, d], {@code positions.weight} [maxLength, d] (learned
 * positions only; both tables start N(0, 0.02²) as in GPT-2, so the tied logits start small), {@code blocks.<i>.<block's names>}, {@code norm.weight}, {@code norm.bias} [d], and
 * with the classification head {@code classifier.weight} [C, d], {@code classifier.bias} [C].
 *
 * <p>Causality is the blocks' property: {@link #lmLoss} and {@link #generate} are meant for models
 * whose blocks are causal (with non-causal blocks the next-token loss can read the answer).
 */
public final class TransformerModel extends Module {
    private static final String NAME = "TransformerModel";
    private static final long IGNORE = -100;
    private static final double EMBEDDING_STD = 0.02;

    /**
     * What {@link #forward} returns.
     *
     * @param logits LM: [B, n, V]; classifier: [B, C]
     * @param aux    the sum of the blocks' auxiliary losses, rank 0
     */
    public record Output(Tensor logits, Tensor aux) {
    }

    private record Hidden(Tensor states, Tensor aux) {
    }

    private final ModelConfig config;
    private final Embedding tokens;
    private final Embedding positions;
    private final Dropout drop;
    private final ModuleList<Module> blocks;
    private final List<SequenceBlock> sequenceBlocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear classifier;

    /**
     * A model whose block i is {@code factory.create(i)}, for i = 0..layers−1. Each block must be a
     * new module whose parameters have the configuration's data type.
     *
     * @param config  the model configuration
     * @param factory makes the blocks
     * @param <B>     the block type
     */
    public <B extends Module & SequenceBlock> TransformerModel(ModelConfig config, BlockFactory<B> factory) {
        if (config == null) throw new IllegalArgumentException(NAME + ": config is null");
        if (factory == null) throw new IllegalArgumentException(NAME + ": block factory is null");
        this.config = config;
        int d = config.width();
        DataType dtype = config.dtype();
        this.tokens = registerModule("tokens", new Embedding(config.vocabSize(), d, config.stream(0), dtype));
        this.positions = config.positions() == ModelConfig.Positions.LEARNED
                ? registerModule("positions", new Embedding(config.maxLength(), d, config.stream(1), dtype))
                : null;
        // GPT-2's initialisation, N(0, 0.02²), instead of nn.Embedding's N(0, 1): with the tied head the
        // logits h·Eᵀ of a normalised h would otherwise start with standard deviation √d.
        tokens.weight().update(w -> w.muli(EMBEDDING_STD));
        if (positions != null) positions.weight().update(w -> w.muli(EMBEDDING_STD));
        this.drop = registerModule("drop", new Dropout(config.dropout(), config.stream(2)));
        this.blocks = registerModule("blocks", new ModuleList<>());
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < config.layers(); i++) {
            B block = factory.create(i);
            if (block == null) throw new IllegalArgumentException(NAME + ": the block factory returned null for layer " + i);
            if (!seen.add(block)) {
                throw new IllegalArgumentException(NAME + ": the block factory returned the same module twice (layer " + i
                        + "); every layer needs its own block");
            }
            for (Map.Entry<String, Tensor> p : block.namedParameters().entrySet()) {
                if (p.getValue().dtype() != dtype) {
                    throw new IllegalArgumentException(NAME + ": parameter 'blocks." + i + "." + p.getKey() + "' is "
                            + p.getValue().dtype() + ", but the model's dtype is " + dtype);
                }
            }
            blocks.add(block);
            sequenceBlocks.add(block);
        }
        this.norm = registerModule("norm", new LayerNorm(d, 1e-5, dtype));
        this.classifier = config.head() instanceof ModelConfig.Classifier c
                ? registerModule("classifier", new Linear(d, c.numClasses(), true, config.stream(3), dtype))
                : null;
    }

    /**
     * The dense baseline: {@code layers} {@link StandardBlock}s (full attention, d_ff = 4d, the
     * configuration's dropout, block i seeded with {@link ModelConfig#layerSeed}).
     *
     * @param heads  attention heads, dividing the width
     * @param causal causal attention (needed for a language model)
     */
    public static TransformerModel baseline(ModelConfig config, int heads, boolean causal) {
        if (config == null) throw new IllegalArgumentException(NAME + ": config is null");
        return baseline(config, heads, 4 * config.width(), causal, null);
    }

    /**
     * The dense baseline with an FFN width and an optional attention window.
     *
     * @param heads    attention heads, dividing the width
     * @param ffnWidth hidden width of the FFN
     * @param causal   causal attention
     * @param window   attention window ≥ 1, or null for full attention
     */
    public static TransformerModel baseline(ModelConfig config, int heads, int ffnWidth, boolean causal, Integer window) {
        if (config == null) throw new IllegalArgumentException(NAME + ": config is null");
        return new TransformerModel(config, i -> new StandardBlock(config.width(), heads, ffnWidth, causal, window,
                config.dropout(), config.layerSeed(i), config.dtype()));
    }

    // ------------------------------------------------------------------ forward

    /** {@link #forward(Tensor, Tensor)} with every position valid. */
    public Output forward(Tensor tokens) {
        return forward(tokens, null);
    }

    /**
     * @param tokens   int64 (or int32) [B, n], ids in [0, V), 1 ≤ n ≤ maxLength
     * @param keyValid BOOL [B, n] (true = a real token), or null when every position is valid. Padded
     *                 keys are never attended to; the classifier pools only valid positions.
     * @return logits (LM [B, n, V]; classifier [B, C]) and the summed auxiliary loss (rank 0)
     */
    public Output forward(Tensor tokens, Tensor keyValid) {
        checkInputs(tokens, keyValid);
        if (classifier == null) {
            Hidden h = hidden(tokens, keyValid);
            return new Output(lmHead(h.states()), h.aux());
        }
        double[] counts = keyValid == null ? null : validCounts(keyValid);
        Hidden h = hidden(tokens, keyValid);
        return new Output(classifier.forward(pool(h.states(), keyValid, counts)), h.aux());
    }

    /** Embeddings, blocks, final norm: [B, n, d] and the summed aux loss. The inputs are checked. */
    private Hidden hidden(Tensor ids, Tensor keyValid) {
        long n = ids.size(1);
        Tensor x = tokens.forward(ids);
        if (positions != null) x = x.add(positions.weight().narrow(0, 0, n));
        x = drop.forward(x);
        Tensor aux = null;
        for (int i = 0; i < sequenceBlocks.size(); i++) {
            SequenceBlock.BlockOutput out = sequenceBlocks.get(i).forward(x, keyValid);
            if (out == null || out.output() == null || !Arrays.equals(out.output().shape(), x.shape())) {
                throw new IllegalStateException(NAME + ": blocks." + i + " returned "
                        + (out == null || out.output() == null ? "no output" : "output " + Shapes.str(out.output().shape()))
                        + ", expected " + Shapes.str(x.shape()));
            }
            if (out.aux() == null || out.aux().rank() != 0) {
                throw new IllegalStateException(NAME + ": blocks." + i + " returned aux "
                        + (out.aux() == null ? "null" : Shapes.str(out.aux().shape())) + ", expected a rank-0 tensor");
            }
            x = out.output();
            aux = aux == null ? out.aux() : aux.add(out.aux());
        }
        return new Hidden(norm.forward(x), aux);
    }

    /** h [..., d] → logits [..., V] = h · Eᵀ (one fused GEMM with the embedding table). */
    private Tensor lmHead(Tensor h) {
        return Functional.linear(h, tokens.weight(), null);
    }

    /** The number of valid positions of each row of keyValid [B, n]; a row without any is an error. */
    private static double[] validCounts(Tensor keyValid) {
        INDArray valid = keyValid.value().castTo(DataType.DOUBLE);
        INDArray perRow = valid.sum(1);
        double[] counts = perRow.toDoubleVector();
        Memory.release(perRow);
        Memory.release(valid);
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == 0) {
                throw new IllegalArgumentException(NAME + ": keyValid row " + r + " has no valid position; the classifier "
                        + "pools over valid positions and needs at least one");
            }
        }
        return counts;
    }

    /**
     * Masked mean over positions: h [B, n, d] → [B, d], the mean over the positions where keyValid
     * holds (padded positions are selected away exactly, not multiplied by 0).
     */
    private Tensor pool(Tensor h, Tensor keyValid, double[] counts) {
        if (keyValid == null) return h.mean(false, 1);
        long b = counts.length;
        Tensor selected = Tensor.where(keyValid.unsqueeze(2), h, Tensor.scalar(0.0, h.dtype()));   // padded rows exactly 0
        Tensor count = Tensor.owning(Nd4j.create(counts, new long[] {b, 1}, h.dtype()));
        return selected.sum(false, 1).div(count);
    }

    // ------------------------------------------------------------------ losses

    /**
     * Next-token cross-entropy plus the auxiliary loss: position t predicts token t + 1, averaged
     * over the B·(n − 1) predictions.
     *
     * @param tokens int64 [B, n], n ≥ 2
     * @return rank 0
     */
    public Tensor lmLoss(Tensor tokens) {
        return lmLoss(tokens, null);
    }

    /**
     * Next-token cross-entropy over the targets that are valid tokens, plus the auxiliary loss. A
     * prediction whose target position is padding is ignored.
     *
     * @param tokens   int64 [B, n], n ≥ 2
     * @param keyValid BOOL [B, n] or null
     * @return rank 0
     */
    public Tensor lmLoss(Tensor tokens, Tensor keyValid) {
        requireLm("lmLoss");
        checkInputs(tokens, keyValid);
        long n = tokens.size(1);
        if (n < 2) {
            throw new IllegalArgumentException(NAME + ".lmLoss: tokens " + Shapes.str(tokens.shape())
                    + " need n >= 2 (position t predicts token t + 1)");
        }
        Hidden h = hidden(tokens, keyValid);
        Tensor logits = lmHead(h.states().narrow(1, 0, n - 1));                                  // [B, n−1, V]
        INDArray shifted = tokens.value().get(NDArrayIndex.all(), NDArrayIndex.interval(1, n));   // a view of tokens
        INDArray targets = shifted.dataType() == DataType.LONG ? shifted.dup('c') : shifted.castTo(DataType.LONG);
        if (keyValid != null) {
            INDArray valid = keyValid.value().castTo(DataType.DOUBLE);
            for (long r = 0; r < targets.size(0); r++) {
                for (long j = 1; j < n; j++) {
                    if (valid.getDouble(r, j) == 0) targets.putScalar(new long[] {r, j - 1}, IGNORE);
                }
            }
            Memory.release(valid);
        }
        Tensor t = Tensor.owning(targets);
        Tensor ce = keyValid == null ? Functional.crossEntropy(logits, t) : Functional.crossEntropy(logits, t, IGNORE);
        return ce.add(h.aux());
    }

    /**
     * Classification cross-entropy plus the auxiliary loss.
     *
     * @param tokens   int64 [B, n]
     * @param labels   int64 (or int32) [B], classes in [0, C)
     * @param keyValid BOOL [B, n] or null
     * @return rank 0
     */
    public Tensor classifierLoss(Tensor tokens, Tensor labels, Tensor keyValid) {
        if (classifier == null) {
            throw new IllegalArgumentException(NAME + ".classifierLoss: needs the CLASSIFIER head, this model has "
                    + config.head());
        }
        checkInputs(tokens, keyValid);
        int c = classifier.outFeatures();
        if (labels == null || labels.rank() != 1 || labels.size(0) != tokens.size(0) || !isInteger(labels.dtype())) {
            throw new IllegalArgumentException(NAME + ".classifierLoss: labels must be int32 or int64 [" + tokens.size(0)
                    + "] (one per row of tokens " + Shapes.str(tokens.shape()) + "), got "
                    + (labels == null ? "null" : labels.dtype() + " " + Shapes.str(labels.shape())));
        }
        INDArray lv = labels.value();
        for (long r = 0; r < lv.length(); r++) {
            long y = lv.getLong(r);
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException(NAME + ".classifierLoss: labels[" + r + "] = " + y
                        + " is outside the classes [0, " + c + ")");
            }
        }
        Output out = forward(tokens, keyValid);
        return Functional.crossEntropy(out.logits(), labels).add(out.aux());
    }

    // ------------------------------------------------------------------ generation

    /**
     * Generates {@code length} tokens after {@code prompt}: each step runs the model (in evaluation
     * mode, without recording gradients, inside its own {@link Scope}) over the last
     * {@code maxLength} tokens of the text so far, and asks {@code sampler} for the next token from
     * the logits at the last position. No key/value cache: every step recomputes the whole context.
     * The model's training mode is restored afterwards.
     *
     * @param prompt  at least one token id in [0, V)
     * @param length  number of tokens to generate ≥ 0
     * @param sampler greedy, temperature or top-k choice ({@link Sampler})
     * @return the generated ids (without the prompt), {@code length} of them
     */
    public int[] generate(int[] prompt, int length, Sampler sampler) {
        requireLm("generate");
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException(NAME + ".generate: the prompt must hold at least one token");
        }
        if (length < 0) throw new IllegalArgumentException(NAME + ".generate: length (" + length + ") must be >= 0");
        if (sampler == null) throw new IllegalArgumentException(NAME + ".generate: sampler is null");
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= config.vocabSize()) {
                throw new IllegalArgumentException(NAME + ".generate: prompt[" + i + "] = " + prompt[i]
                        + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        int[] text = Arrays.copyOf(prompt, prompt.length + length);
        boolean wasTraining = isTraining();
        eval();
        try {
            for (int step = 0; step < length; step++) {
                int end = prompt.length + step;
                int start = Math.max(0, end - config.maxLength());
                long[] context = new long[end - start];
                for (int j = start; j < end; j++) context[j - start] = text[j];
                double[] logits;
                try (Scope scope = Scope.open(); NoGrad off = NoGrad.enter()) {
                    Tensor ids = Tensor.indices(context, 1, context.length);
                    Tensor h = hidden(ids, null).states();
                    logits = lmHead(h.narrow(1, context.length - 1, 1)).toDoubleArray();           // [V]
                }
                text[end] = sampler.next(logits);
            }
        } finally {
            train(wasTraining);
        }
        return Arrays.copyOfRange(text, prompt.length, text.length);
    }

    // ------------------------------------------------------------------ checks and accessors

    private void requireLm(String what) {
        if (classifier != null) {
            throw new IllegalArgumentException(NAME + "." + what + ": needs the TIED_LM head, this model has " + config.head());
        }
    }

    private static boolean isInteger(DataType t) {
        return t == DataType.LONG || t == DataType.INT;
    }

    private void checkInputs(Tensor ids, Tensor keyValid) {
        checkTokens(ids);
        Inputs.checkKeyValid(NAME, keyValid, ids.size(0), ids.size(1));
    }

    private void checkTokens(Tensor ids) {
        if (ids == null) throw new IllegalArgumentException(NAME + ": tokens is null");
        if (ids.rank() != 2 || !isInteger(ids.dtype())) {
            throw new IllegalArgumentException(NAME + ": tokens must be int64 or int32 [B, n], got " + ids.dtype() + " "
                    + Shapes.str(ids.shape()));
        }
        long b = ids.size(0);
        long n = ids.size(1);
        if (b < 1 || n < 1) {
            throw new IllegalArgumentException(NAME + ": tokens " + Shapes.str(ids.shape()) + " must have B >= 1 and n >= 1");
        }
        if (n > config.maxLength()) {
            throw new IllegalArgumentException(NAME + ": tokens " + Shapes.str(ids.shape()) + ": n (" + n + ") exceeds "
                    + (positions != null ? "the position table (" : "maxLength (") + config.maxLength() + ")");
        }
        INDArray v = ids.value();
        long lo = v.minNumber().longValue();
        long hi = v.maxNumber().longValue();
        if (lo < 0 || hi >= config.vocabSize()) {
            for (long r = 0; r < b; r++) {
                for (long j = 0; j < n; j++) {
                    long id = v.getLong(r, j);
                    if (id < 0 || id >= config.vocabSize()) {
                        throw new IllegalArgumentException(NAME + ": tokens[" + r + ", " + j + "] = " + id
                                + " is outside the vocabulary [0, " + config.vocabSize() + ") (tokens "
                                + Shapes.str(ids.shape()) + ")");
                    }
                }
            }
        }
    }

    /** The configuration. */
    public ModelConfig config() {
        return config;
    }

    /** The blocks, in order (as modules: {@code blocks.<i>}). */
    public ModuleList<Module> blocks() {
        return blocks;
    }

    /** Block {@code i} as a sequence block. */
    public SequenceBlock block(int i) {
        return sequenceBlocks.get(i);
    }

    /** The token embedding E [V, d] (also the LM head's weight). */
    public Embedding tokenEmbedding() {
        return tokens;
    }

    /** The learned position table [maxLength, d], or null with {@link ModelConfig.Positions#NONE}. */
    public Embedding positionEmbedding() {
        return positions;
    }

    /** The final LayerNorm. */
    public LayerNorm finalNorm() {
        return norm;
    }

    /** The classification layer, or null for the LM head. */
    public Linear classifier() {
        return classifier;
    }

    @Override
    protected String label() {
        return NAME;
    }
}
