package dev.maha.optim;

import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with L2 weight decay added to the gradient, following PyTorch's {@code torch.optim.Adam}
 * (without amsgrad). Per parameter p with gradient g, at its t-th update:
 * <pre>
 *   d ← g + wd·p                                 (when wd ≠ 0)
 *   m ← β1·m + (1 − β1)·d
 *   v ← β2·v + (1 − β2)·d²
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 * State: {@code <param>.exp_avg} (m), {@code <param>.exp_avg_sq} (v) and {@code <param>.step} (t).
 * For decoupled weight decay use {@link AdamW}.
 *
 * <pre>{@code
 * Adam adam = Adam.builder(1e-3).betas(0.9, 0.999).eps(1e-8).build(params);
 * }</pre>
 */
public final class Adam extends AdamFamily {
    private Adam(Builder b, Map<String, Tensor> parameters) {
        super("adam", parameters, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay);
    }

    /** A builder with learning rate {@code lr}, β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public static Builder builder(double lr) {
        return new Builder(lr);
    }

    @Override
    protected void update(INDArray p, INDArray g, INDArray[] state, long step) {
        double weightDecay = weightDecay();
        INDArray d = weightDecay != 0 ? p.mul(weightDecay).addi(g) : g;
        adamStep(p, d, state, step);
        InPlace.releaseUnless(d, g);
    }

    /** Hyper-parameters of {@link Adam}, validated by {@link #build}. */
    public static final class Builder {
        private final double lr;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;

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

        /** L2 weight decay wd ≥ 0 added to the gradient (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Validates the hyper-parameters and builds the optimizer over named parameters. */
        public Adam build(Map<String, Tensor> parameters) {
            AdamFamily.validate("adam", lr, beta1, beta2, eps, weightDecay);
            return new Adam(this, parameters);
        }

        /** Builds over parameters named "0", "1", ... in list order. */
        public Adam build(List<Tensor> parameters) {
            return build(Optimizer.indexed(parameters));
        }
    }
}
