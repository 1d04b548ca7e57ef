package dev.maha.optim;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What {@link Adam} and {@link AdamW} share: the moment hyper-parameters and their checks, the state
 * ({@code exp_avg}, {@code exp_avg_sq}) and the bias-corrected step. They differ only in where the
 * weight decay applies.
 */
abstract class AdamFamily extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    AdamFamily(String name, Map<String, Tensor> parameters, double lr, double beta1, double beta2, double eps,
               double weightDecay) {
        super(name, parameters, lr, List.of("exp_avg", "exp_avg_sq"));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** Checks the hyper-parameters before any buffer is allocated; messages name {@code optimizer}. */
    static void validate(String optimizer, double lr, double beta1, double beta2, double eps, double weightDecay) {
        HyperParameters.learningRate(optimizer, lr);
        HyperParameters.decayRate(optimizer, "beta1", beta1);
        HyperParameters.decayRate(optimizer, "beta2", beta2);
        HyperParameters.positive(optimizer, "eps", eps);
        HyperParameters.nonNegative(optimizer, "weightDecay", weightDecay);
    }

    /** β1, the decay rate of the first moment. */
    public final double beta1() {
        return beta1;
    }

    /** β2, the decay rate of the second moment. */
    public final double beta2() {
        return beta2;
    }

    /** ε, added to the bias-corrected √v. */
    public final double eps() {
        return eps;
    }

    /** The weight decay wd (how it applies is the subclass's rule). */
    public final double weightDecay() {
        return weightDecay;
    }

    /**
     * The Adam update of {@code p} from the (possibly decayed) gradient {@code d} at the parameter's
     * step {@code t}, with PyTorch's bias correction:
     * <pre>
     *   m ← β1·m + (1 − β1)·d
     *   v ← β2·v + (1 − β2)·d²
     *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
     * </pre>
     * Two temporaries (d² and the denominator), both freed here.
     */
    final void adamStep(INDArray p, INDArray d, INDArray[] state, long t) {
        INDArray m = state[0];
        INDArray v = state[1];
        InPlace.addScaled(m.muli(beta1), d, 1 - beta1);
        INDArray sq = d.mul(d);
        InPlace.addScaled(v.muli(beta2), sq, 1 - beta2);
        Memory.release(sq);
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double stepSize = learningRate() / biasCorrection1;
        INDArray denom = Transforms.sqrt(v, true).divi(Math.sqrt(biasCorrection2)).addi(eps);
        INDArray ratio = denom.rdivi(m);                     // m / denom, in denom's buffer
        InPlace.addScaled(p, ratio, -stepSize);
        Memory.release(ratio);
    }
}
