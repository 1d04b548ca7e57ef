package dev.maha.core.nn;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Affine layer {@code y = x · Wᵀ + b} (PyTorch's {@code nn.Linear}): x [..., in] → [..., out], for
 * example [B, n, d] → [B, n, d_out]. Computed by the fused op {@link Functional#linear}.
 *
 * <p>Parameters: {@code weight} [out, in] and {@code bias} [out] (if enabled), both initialised as
 * PyTorch does, uniform in ±1/√in, from a {@link SplittableRandom} seeded with {@code seed} (weight
 * first, then bias).
 */
public final class Linear extends Module implements Layer {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /** A float32 layer. */
    public Linear(int in, int out, boolean bias, long seed) {
        this(in, out, bias, seed, DataType.FLOAT);
    }

    /**
     * @param in    input features, ≥ 1
     * @param out   output features, ≥ 1
     * @param bias  whether to add a learned bias
     * @param seed  seed of the initialisation
     * @param dtype floating-point type of the parameters
     */
    public Linear(int in, int out, boolean bias, long seed, DataType dtype) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: in and out must be >= 1, got in = " + in + ", out = " + out);
        }
        Init.requireFloating("Linear", dtype);
        this.in = in;
        this.out = out;
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(in);
        this.weight = registerParameter("weight", Init.parameter(Init.uniform(rng, bound, dtype, out, in)));
        this.bias = bias ? registerParameter("bias", Init.parameter(Init.uniform(rng, bound, dtype, out))) : null;
    }

    /**
     * @param x [..., in]
     * @return [..., out]
     */
    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    /** The weight [out, in]. */
    public Tensor weight() {
        return weight;
    }

    /** The bias [out], or null. */
    public Tensor bias() {
        return bias;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    @Override
    protected String label() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
