package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalization over the last axis, fused into one op: x [..., d], optional weight [d] and
 * bias [d] → [..., d],
 * <pre>
 * μ = mean(x), σ² = mean((x − μ)²)   (biased), rstd = 1/sqrt(σ² + eps), x̂ = (x − μ)·rstd
 * out = x̂ ⊙ weight + bias
 * </pre>
 * Forward saves x̂ [..., d] and rstd [..., 1]. Backward in closed form, with ĝ = g ⊙ weight:
 * {@code dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))}, {@code dweight = Σ g ⊙ x̂},
 * {@code dbias = Σ g} (sums over every axis but the last). Inputs: {@code x}, then weight and
 * bias when present, in that order.
 */
public final class LayerNorm implements Op {
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;

    /**
     * @param eps       added to the variance, ≥ 0 (PyTorch's default is 1e-5)
     * @param hasWeight whether a weight [d] input follows x
     * @param hasBias   whether a bias [d] input follows (after the weight when both are given)
     */
    public LayerNorm(double eps, boolean hasWeight, boolean hasBias) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("layer_norm: eps must be a finite number >= 0, got " + eps);
        }
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    @Override
    public String name() {
        return "layer_norm";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray weight = hasWeight ? in[1] : null;
        INDArray bias = hasBias ? in[hasWeight ? 2 : 1] : null;
        Shapes.requireFloating(name(), "input", x);
        if (x.rank() < 1) {
            throw new IllegalArgumentException("layer_norm: input must have rank >= 1, got shape " + Shapes.str(x.shape()));
        }
        int ax = x.rank() - 1;
        long d = x.size(ax);
        requireVector("weight", weight, d, x);
        requireVector("bias", bias, d, x);

        INDArray mean = x.mean(true, ax);                             // [..., 1]
        INDArray xhat = x.sub(mean);                                  // x − μ, then x̂ in place
        Memory.release(mean);
        INDArray sq = xhat.mul(xhat);
        INDArray rstd = sq.mean(true, ax);                            // σ², then 1/sqrt(σ² + eps) in place
        Memory.release(sq);
        Transforms.sqrt(rstd.addi(eps), false).rdivi(1.0);
        xhat.muli(rstd);
        INDArray out;
        if (weight != null) {
            out = xhat.mul(weight);
            if (bias != null) out.addi(bias);
        } else {
            out = bias != null ? xhat.add(bias) : xhat.dup();
        }
        ctx.flops(x.length() * (6L + (weight != null ? 1 : 0) + (bias != null ? 1 : 0)));   // sqrt: 1 per row
        boolean anyGrad = false;
        for (int i = 0; i < ctx.inputCount(); i++) anyGrad |= ctx.needsGrad(i);
        if (anyGrad) {
            ctx.save(xhat, rstd, weight);
        } else {
            Memory.release(xhat);
            Memory.release(rstd);
        }
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray xhat = ctx.saved(0);
        INDArray rstd = ctx.saved(1);
        INDArray weight = ctx.saved(2);
        int ax = xhat.rank() - 1;
        INDArray[] grads = new INDArray[ctx.inputCount()];
        if (ctx.needsGrad(0)) {
            INDArray gh = weight != null ? g.mul(weight) : g;                     // ĝ (g itself is never modified)
            INDArray meanG = gh.mean(true, ax);
            INDArray ghx = gh.mul(xhat);
            INDArray meanGx = ghx.mean(true, ax);
            Memory.release(ghx);
            INDArray dx = gh.sub(meanG);
            INDArray corr = xhat.mul(meanGx);
            dx.subi(corr).muli(rstd);
            Memory.release(corr);
            Memory.release(meanG);
            Memory.release(meanGx);
            if (gh != g) Memory.release(gh);
            grads[0] = dx;
            ctx.flops(8L * g.length());
        }
        if (hasWeight && ctx.needsGrad(1)) {
            INDArray gx = g.mul(xhat);
            grads[1] = sumLeading(gx);
            if (grads[1] != gx) Memory.release(gx);
            ctx.flops(2L * g.length());
        }
        int bi = hasWeight ? 2 : 1;
        if (hasBias && ctx.needsGrad(bi)) {
            grads[bi] = sumLeading(g);
            ctx.flops(g.length());
        }
        return grads;
    }

    /** Sum over every axis but the last: [..., d] → [d]. */
    private static INDArray sumLeading(INDArray a) {
        if (a.rank() == 1) return a;
        int[] lead = new int[a.rank() - 1];
        for (int i = 0; i < lead.length; i++) lead[i] = i;
        return a.sum(lead);
    }

    private static void requireVector(String what, INDArray v, long d, INDArray x) {
        if (v == null) return;
        Shapes.requireFloating("layer_norm", what, v);
        if (v.rank() != 1 || v.size(0) != d) {
            throw new IllegalArgumentException("layer_norm: " + what + " must be [" + d + "] for input "
                    + Shapes.str(x.shape()) + " (normalized over the last axis), got " + Shapes.str(v.shape()));
        }
    }
}
