package dev.maha.optim;

import dev.maha.autograd.Memory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The Adam moment update and bias-corrected step that {@link Adam} and {@link AdamW} share. */
final class AdamMoments {
    private AdamMoments() {
    }

    /**
     * One Adam update of {@code p} from the (possibly decayed) gradient {@code d}, with PyTorch's
     * bias correction at step {@code t}:
     * <pre>
     *   m ← β1·m + (1 − β1)·d
     *   v ← β2·v + (1 − β2)·d²
     *   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
     * </pre>
     * Two temporaries (d² and the denominator), both freed here.
     */
    static void apply(INDArray p, INDArray d, INDArray m, INDArray v, long t, double lr, double beta1, double beta2, double eps) {
        InPlace.addScaled(m.muli(beta1), d, 1 - beta1);
        INDArray sq = d.mul(d);
        InPlace.addScaled(v.muli(beta2), sq, 1 - beta2);
        Memory.release(sq);
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / biasCorrection1;
        INDArray denom = Transforms.sqrt(v, true).divi(Math.sqrt(biasCorrection2)).addi(eps);
        INDArray ratio = denom.rdivi(m);                     // m / denom, in denom's buffer
        InPlace.addScaled(p, ratio, -stepSize);
        Memory.release(ratio);
    }
}
