package dev.maha.examples;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Memory;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.core.model.TransformerModel;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-query associative recall over a long sequence. A sequence of {@code length} tokens starts with
 * {@code pairs} key-value pairs (distinct keys), continues with random filler tokens, and ends with
 * {@code queries} of those keys, each followed by its value:
 *
 * <pre>
 *   k₁ v₁ k₂ v₂ … k_P v_P   f f f … f   q₁ a₁ q₂ a₂ … q_Q a_Q        (a_i = the value stored for q_i)
 * </pre>
 *
 * The loss is the cross-entropy of predicting each answer a_i at its query q_i, and nothing else; the
 * accuracy is the fraction of answers ranked first. Keys, values and filler use disjoint token ranges
 * (ids 0..K−1, K..K+V−1, K+V..K+V+F−1), so only the stored pairs, about {@code length} tokens back,
 * say which value answers a query.
 */
final class RecallTask implements TrainingTask {
    private static final long IGNORE = -100;

    private final int length;
    private final int pairs;
    private final int queries;
    private final int keys;
    private final int values;
    private final int filler;
    private final int batch;
    private final long seed;
    private final int evalBatches;

    RecallTask(int length, int pairs, int queries, int keys, int values, int filler, int batch, long seed, int evalBatches) {
        this.length = length;
        this.pairs = pairs;
        this.queries = queries;
        this.keys = keys;
        this.values = values;
        this.filler = filler;
        this.batch = batch;
        this.seed = seed;
        this.evalBatches = evalBatches;
    }

    /** The vocabulary size K + V + F. */
    int vocabSize() {
        return keys + values + filler;
    }

    @Override
    public long tokensPerStep() {
        return (long) batch * length;
    }

    /** A batch: {@code tokens} int64 [B, n] and {@code targets} int64 [B, n] (the answer at query positions, else −100). */
    record Batch(Tensor tokens, Tensor targets) {
    }

    /** The sequences generated from {@code streamSeed}: training uses the step, validation negative numbers. */
    Batch batch(long streamSeed) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + streamSeed);
        long[] tokens = new long[batch * length];
        long[] targets = new long[batch * length];
        java.util.Arrays.fill(targets, IGNORE);
        int[] order = new int[keys];
        for (int b = 0; b < batch; b++) {
            int row = b * length;
            for (int i = 0; i < keys; i++) order[i] = i;
            for (int i = 0; i < pairs; i++) {                       // the first `pairs` of a shuffle: distinct keys
                int j = i + rng.nextInt(keys - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] stored = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                stored[i] = keys + rng.nextInt(values);
                tokens[row + 2 * i] = order[i];
                tokens[row + 2 * i + 1] = stored[i];
            }
            int queryStart = length - 2 * queries;
            for (int j = 2 * pairs; j < queryStart; j++) tokens[row + j] = keys + values + rng.nextInt(filler);
            for (int q = 0; q < queries; q++) {
                int which = rng.nextInt(pairs);
                int at = row + queryStart + 2 * q;
                tokens[at] = order[which];
                tokens[at + 1] = stored[which];
                targets[at] = stored[which];                          // position of the key predicts its value
            }
        }
        return new Batch(Tensor.indices(tokens, batch, length), Tensor.indices(targets, batch, length));
    }

    @Override
    public Tensor loss(TransformerModel model, long step) {
        Batch b = batch(step);
        TransformerModel.Output out = model.forward(b.tokens());
        return Functional.crossEntropy(out.logits(), b.targets(), IGNORE).add(out.aux());
    }

    @Override
    public History.Validation validate(TransformerModel model, long step) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double loss = 0;
        long correct = 0;
        long answers = 0;
        try {
            for (int k = 0; k < evalBatches; k++) {
                try (Scope s = Scope.open(); NoGrad off = NoGrad.enter()) {
                    Batch b = batch(-1 - k);
                    Tensor logits = model.forward(b.tokens()).logits();                        // [B, n, V]
                    loss += Functional.crossEntropy(logits, b.targets(), IGNORE).item();
                    INDArray predicted = logits.value().argMax(2);                             // [B, n]
                    INDArray target = b.targets().value();
                    for (int r = 0; r < batch; r++) {
                        for (int j = length - 2 * queries; j < length; j++) {
                            long t = target.getLong(r, j);
                            if (t == IGNORE) continue;
                            answers++;
                            if (predicted.getLong(r, j) == t) correct++;
                        }
                    }
                    Memory.release(predicted);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new History.Validation(step, loss / evalBatches, (double) correct / answers);
    }
}
