package dev.maha.optim;

import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with decoupled weight decay, following PyTorch's {@code torch.optim.AdamW} (without
 * amsgrad). The decay shrinks the parameter directly instead of entering the moments. Per parameter
 * p with gradient g, at its t-th update:
 * <pre>
 *   p ← p·(1 − lr·wd)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 * State: {@code <param>.exp_avg} (m), {@code <param>.exp_avg_sq} (v) and {@code <param>.step} (t),
 * the same entries as {@link Adam}.
 *
 * <pre>{@code
 * AdamW adamw = AdamW.builder(3e-4).weightDecay(0.1).build(params);
 * }</pre>
 */
public final class AdamW extends AdamFamily {
    private AdamW(Builder b, Map<String, Tensor> parameters) {
        super("adamw", parameters, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay);
    }

    /** A builder with learning rate {@code lr}, β = (0.9, 0.999), ε = 1e-8, wd = 0.01 (PyTorch's defaults). */
    public static Builder builder(double lr) {
        return new Builder(lr);
    }

    @Override
    protected void update(INDArray p, INDArray g, INDArray[] state, long step) {
        double lr = learningRate();
        double weightDecay = weightDecay();
        if (weightDecay != 0) p.muli(1 - lr * weightDecay);
        adamStep(p, g, state, step);
    }

    /** Hyper-parameters of {@link AdamW}, validated by {@link #build}. */
    public static final class Builder {
        private final double lr;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0.01;

        private Builder(double lr) {
            this.lr = lr;
        }

        /** Moment decay rates, each in [0, 1) (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** ε &gt; 0 (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Decoupled weight decay wd ≥ 0 (default 0.01). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Validates the hyper-parameters and builds the optimizer over named parameters. */
        public AdamW build(Map<String, Tensor> parameters) {
            AdamFamily.validate("adamw", lr, beta1, beta2, eps, weightDecay);
            return new AdamW(this, parameters);
        }

        /** Builds over parameters named "0", "1", ... in list order. */
        public AdamW build(List<Tensor> parameters) {
            return build(Optimizer.indexed(parameters));
        }
    }
}
