package dev.maha.optim;

import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
 * following PyTorch's {@code torch.optim.SGD} exactly. Per parameter p with gradient g, at its
 * t-th update:
 * <pre>
 *   d ← g + wd·p                               (when wd ≠ 0)
 *   if μ ≠ 0:
 *     b ← d                        at t = 1    (the buffer starts as the first gradient)
 *     b ← μ·b + (1 − τ)·d          at t &gt; 1   (τ = dampening)
 *     d ← d + μ·b  if Nesterov, else  d ← b
 *   p ← p − lr·d
 * </pre>
 * State: {@code <param>.momentum_buffer} when μ ≠ 0.
 *
 * <pre>{@code
 * Sgd sgd = Sgd.builder(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build(params);
 * }</pre>
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    private Sgd(Builder b, Map<String, Tensor> parameters) {
        super("sgd", parameters, b.lr, b.momentum != 0 ? List.of("momentum_buffer") : List.of());
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** A builder with learning rate {@code lr}, no momentum, no dampening, no weight decay. */
    public static Builder builder(double lr) {
        return new Builder(lr);
    }

    /** Momentum factor μ. */
    public double momentum() {
        return momentum;
    }

    /** Dampening τ of the gradient added to the momentum buffer. */
    public double dampening() {
        return dampening;
    }

    /** Whether Nesterov momentum is used. */
    public boolean nesterov() {
        return nesterov;
    }

    /** L2 weight decay wd, added to the gradient. */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    protected void update(INDArray p, INDArray g, INDArray[] state, long step) {
        INDArray d = weightDecay != 0 ? p.mul(weightDecay).addi(g) : g;   // a temporary when wd ≠ 0
        if (momentum != 0) {
            INDArray buf = state[0];
            if (step == 1) {
                buf.assign(d);
            } else {
                InPlace.addScaled(buf.muli(momentum), d, 1 - dampening);
            }
            INDArray next = nesterov ? buf.mul(momentum).addi(d) : buf;
            InPlace.releaseUnless(d, g);
            d = next;
            InPlace.addScaled(p, d, -learningRate());
            InPlace.releaseUnless(d, buf);
        } else {
            InPlace.addScaled(p, d, -learningRate());
            InPlace.releaseUnless(d, g);
        }
    }

    /** Hyper-parameters of {@link Sgd}, validated by {@link #build}. */
    public static final class Builder {
        private final double lr;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder(double lr) {
            this.lr = lr;
        }

        /** Momentum factor μ ≥ 0 (default 0: plain SGD). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening τ in [0, 1] (default 0). */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Nesterov momentum (default off); needs μ &gt; 0 and τ = 0. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** L2 weight decay wd ≥ 0 (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Validates the hyper-parameters and builds the optimizer over named parameters. */
        public Sgd build(Map<String, Tensor> parameters) {
            HyperParameters.learningRate("sgd", lr);
            HyperParameters.nonNegative("sgd", "momentum", momentum);
            HyperParameters.fraction("sgd", "dampening", dampening);
            HyperParameters.nonNegative("sgd", "weightDecay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("sgd: nesterov needs momentum > 0 and dampening = 0, got momentum = "
                        + momentum + ", dampening = " + dampening);
            }
            return new Sgd(this, parameters);
        }

        /** Builds over parameters named "0", "1", ... in list order. */
        public Sgd build(List<Tensor> parameters) {
            return build(Optimizer.indexed(parameters));
        }
    }
}
