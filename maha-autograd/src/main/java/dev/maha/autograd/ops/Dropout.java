package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: x [...] → [...], {@code out = x ⊙ mask} with {@code mask = keep / (1 − p)} and
 * {@code keep ~ Bernoulli(1 − p)} drawn from an ND4J generator seeded with {@code seed} (the same
 * seed and shape give the same mask). In evaluation mode ({@code training = false}) or with
 * {@code p = 0} it is the identity: the output shares x's value and the gradient passes unchanged.
 * Backward: {@code g ⊙ mask}.
 */
public final class Dropout implements Op {
    private final double p;
    private final long seed;
    private final boolean training;

    /**
     * @param p        probability of zeroing an element, in [0, 1)
     * @param seed     seed of the mask's random generator
     * @param training false makes the op the identity
     */
    public Dropout(double p, long seed, boolean training) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
        this.training = training;
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "input", x);
        if (!training || p == 0) {
            ctx.flops(0);
            return x;                                                   // identity: shares x's value
        }
        INDArray mask = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        try {
            Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p), rng);
        } finally {
            close(rng);
        }
        mask.muli(1.0 / (1.0 - p));
        ctx.flops(3L * x.length());                                     // draw, scale, multiply
        if (ctx.needsGrad(0)) ctx.save(mask);
        INDArray out = x.mul(mask);
        if (!ctx.needsGrad(0)) Memory.release(mask);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        if (ctx.savedCount() == 0) return new INDArray[] {g};          // identity (the engine copies if needed)
        ctx.flops(g.length());
        return new INDArray[] {g.mul(ctx.saved(0))};
    }

    /** Frees the generator's native state (its close() declares a checked exception). */
    private static void close(Random rng) {
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("dropout: could not close the random generator", e);
        }
    }
}
