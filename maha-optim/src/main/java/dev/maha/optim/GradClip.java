package dev.maha.optim;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Gradient clipping by the global L2 norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
    /** Added to the norm before dividing, as PyTorch does. */
    public static final double EPSILON = 1e-6;

    private GradClip() {
    }

    /**
     * Rescales the gradients of {@code params} in place so that their global L2 norm is at most
     * {@code maxNorm}, and returns the norm before clipping:
     * <pre>
     *   total = √(Σ_p ‖grad p‖²)          (parameters with a null gradient are skipped)
     *   scale = maxNorm / (total + 1e-6)
     *   grad p ← scale · grad p           only when scale &lt; 1
     * </pre>
     * The norm is accumulated in double. A non-finite total (a NaN or infinite gradient) is returned
     * as is and the gradients are left unchanged, so the caller can detect it and skip the step
     * (PyTorch would scale by 0 or NaN there, turning every gradient into 0 or NaN).
     *
     * @param maxNorm the largest allowed norm, ≥ 0 (+∞ never clips)
     * @return the global norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGlobalNorm(Collection<Tensor> params, double maxNorm) {
        if (params == null) throw new IllegalArgumentException("clip_grad_norm: params is null");
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clip_grad_norm: maxNorm = " + maxNorm + " must be ≥ 0");
        double sumSquares = 0;
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("clip_grad_norm: a parameter is null");
            INDArray g = p.grad();
            if (g == null) continue;
            INDArray n = g.norm2();
            double norm = n.getDouble(0);
            Memory.release(n);
            sumSquares += norm * norm;
        }
        double total = Math.sqrt(sumSquares);
        double scale = maxNorm / (total + EPSILON);
        if (Double.isFinite(total) && scale < 1) {
            for (Tensor p : params) {
                INDArray g = p.grad();
                if (g != null) g.muli(scale);
            }
        }
        return total;
    }
}
