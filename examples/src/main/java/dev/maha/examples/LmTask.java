package dev.maha.examples;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.core.model.TransformerModel;
import java.util.SplittableRandom;

/**
 * Character-level language modelling: each step trains on {@code batch} windows of
 * {@code seqLen} characters at random offsets of the training text (position t predicts character
 * t + 1), drawn from a generator seeded by (seed, step) alone; validation averages the loss over
 * fixed, evenly spaced windows of the validation text.
 */
final class LmTask implements TrainingTask {
    private final int[] train;
    private final int[] validation;
    private final int batch;
    private final int seqLen;
    private final long seed;
    private final int evalWindows;

    LmTask(int[] train, int[] validation, int batch, int seqLen, long seed, int evalWindows) {
        if (train.length <= seqLen || validation.length < seqLen) {
            throw new IllegalArgumentException("--seq-len (" + seqLen + ") must be shorter than the training text ("
                    + train.length + " characters) and the validation text (" + validation.length + ")");
        }
        this.train = train;
        this.validation = validation;
        this.batch = batch;
        this.seqLen = seqLen;
        this.seed = seed;
        this.evalWindows = evalWindows;
    }

    @Override
    public long tokensPerStep() {
        return (long) batch * seqLen;
    }

    /** The training windows of step {@code step}: int64 [batch, seqLen]. */
    Tensor batch(long step) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        long[] ids = new long[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int start = rng.nextInt(train.length - seqLen + 1);
            for (int j = 0; j < seqLen; j++) ids[b * seqLen + j] = train[start + j];
        }
        return Tensor.indices(ids, batch, seqLen);
    }

    @Override
    public Tensor loss(TransformerModel model, long step) {
        return model.lmLoss(batch(step));
    }

    @Override
    public History.Validation validate(TransformerModel model, long step) {
        return new History.Validation(step, meanLoss(model, validation, seqLen, batch, evalWindows), Double.NaN);
    }

    /**
     * The mean next-character loss (nats) over {@code windows} windows of {@code seqLen} characters
     * spread evenly over {@code data} (consecutive, non-overlapping ones when {@code windows} is
     * {@code data.length / seqLen}), evaluated {@code batch} windows at a time.
     */
    static double meanLoss(TransformerModel model, int[] data, int seqLen, int batch, int windows) {
        int count = Math.max(1, Math.min(windows, data.length / seqLen));
        boolean wasTraining = model.isTraining();
        model.eval();
        double total = 0;
        long predictions = 0;
        try {
            for (int first = 0; first < count; first += batch) {
                int rows = Math.min(batch, count - first);
                long[] ids = new long[rows * seqLen];
                for (int r = 0; r < rows; r++) {
                    long start = count == 1 ? 0 : (long) (first + r) * (data.length - seqLen) / (count - 1);
                    for (int j = 0; j < seqLen; j++) ids[r * seqLen + j] = data[(int) start + j];
                }
                try (Scope s = Scope.open(); NoGrad off = NoGrad.enter()) {
                    double mean = model.lmLoss(Tensor.indices(ids, rows, seqLen)).item();
                    total += mean * rows * (seqLen - 1);
                    predictions += (long) rows * (seqLen - 1);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return total / predictions;
    }
}
