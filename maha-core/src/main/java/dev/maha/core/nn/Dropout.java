package dev.maha.core.nn;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;

/**
 * Inverted dropout (PyTorch's {@code nn.Dropout(p)}): x [...] → same shape. In training mode each
 * element is zeroed with probability {@code p} and the others scaled by {@code 1/(1 − p)}
 * ({@link Functional#dropout}); in evaluation mode, or with {@code p = 0}, it returns {@code x}
 * itself.
 *
 * <p>Every training call draws a fresh mask seed from the module's own {@link SplittableRandom}
 * (seeded with {@code seed}): two calls give different masks, and a run that makes the same calls
 * gets the same masks. {@link #masksDrawn()} and {@link #resumeMasks(long)} save and restore the
 * position in that stream, so a training run resumed from a checkpoint draws the masks the
 * uninterrupted run would have drawn.
 */
public final class Dropout extends Module implements Layer {
    private final double p;
    private final long seed;
    private SplittableRandom rng;
    private long masksDrawn;

    /**
     * @param p    drop probability in [0, 1)
     * @param seed seed of the module's mask-seed generator
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
    }

    /**
     * @param x [...]
     * @return [...], x itself in evaluation mode or when p = 0
     */
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        masksDrawn++;
        return Functional.dropout(x, p, rng.nextLong(), true);
    }

    /** How many masks this module has drawn so far (training calls with p > 0). */
    public long masksDrawn() {
        return masksDrawn;
    }

    /**
     * Puts the mask stream where it was after {@code masksDrawn} masks: the next training call draws
     * the mask that call number {@code masksDrawn + 1} of a fresh module with the same seed draws.
     *
     * @param masksDrawn a count from {@link #masksDrawn()}, ≥ 0
     */
    public void resumeMasks(long masksDrawn) {
        if (masksDrawn < 0) throw new IllegalArgumentException("Dropout: masksDrawn must be >= 0, got " + masksDrawn);
        SplittableRandom fresh = new SplittableRandom(seed);
        for (long i = 0; i < masksDrawn; i++) fresh.nextLong();
        this.rng = fresh;
        this.masksDrawn = masksDrawn;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    protected String label() {
        return "Dropout(" + p + ")";
    }
}
