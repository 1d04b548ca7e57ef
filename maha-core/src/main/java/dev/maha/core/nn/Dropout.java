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
 * gets the same masks.
 */
public final class Dropout extends Module implements Layer {
    private final double p;
    private final SplittableRandom rng;

    /**
     * @param p    drop probability in [0, 1)
     * @param seed seed of the module's mask-seed generator
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    /**
     * @param x [...]
     * @return [...], x itself in evaluation mode or when p = 0
     */
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        return Functional.dropout(x, p, rng.nextLong(), true);
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
