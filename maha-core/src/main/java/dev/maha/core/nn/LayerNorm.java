package dev.maha.core.nn;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Layer normalisation over the last axis (PyTorch's {@code nn.LayerNorm(d)}): x [..., d], for
 * example [B, n, d] → same shape, {@code (x − mean) / sqrt(var + eps) ⊙ weight + bias} with the
 * biased variance. Computed by {@link Functional#layerNorm}.
 *
 * <p>Parameters: {@code weight} [d] (ones) and {@code bias} [d] (zeros), as in PyTorch.
 */
public final class LayerNorm extends Module implements Layer {
    private final int d;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** float32, eps = 1e-5 (PyTorch's default). */
    public LayerNorm(int d) {
        this(d, 1e-5);
    }

    /** float32. */
    public LayerNorm(int d, double eps) {
        this(d, eps, DataType.FLOAT);
    }

    /**
     * @param d     normalised width, ≥ 1
     * @param eps   added to the variance, > 0
     * @param dtype floating-point type of the parameters
     */
    public LayerNorm(int d, double eps, DataType dtype) {
        if (d < 1) throw new IllegalArgumentException("LayerNorm: d must be >= 1, got " + d);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("LayerNorm: eps must be positive and finite, got " + eps);
        }
        Init.requireFloating("LayerNorm", dtype);
        this.d = d;
        this.eps = eps;
        this.weight = registerParameter("weight", Init.parameter(Init.constant(1.0, dtype, d)));
        this.bias = registerParameter("bias", Init.parameter(Init.constant(0.0, dtype, d)));
    }

    /**
     * @param x [..., d]
     * @return [..., d]
     */
    @Override
    public Tensor forward(Tensor x) {
        return Functional.layerNorm(x, weight, bias, eps);
    }

    /** The scale [d]. */
    public Tensor weight() {
        return weight;
    }

    /** The shift [d]. */
    public Tensor bias() {
        return bias;
    }

    /** The variance offset. */
    public double eps() {
        return eps;
    }

    @Override
    protected String label() {
        return "LayerNorm(" + d + ")";
    }
}
