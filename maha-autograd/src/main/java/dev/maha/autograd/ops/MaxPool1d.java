package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * 1-D max pooling along the last axis, PyTorch {@code max_pool1d} semantics (floor mode, dilation 1):
 * x [B, C, L] → [B, C, L_out], {@code out[b,c,t] = max_k xp[b, c, t·stride + k]} where xp is x padded
 * with −∞ on both sides, {@code L_out = floor((L + 2·padding − kernel) / stride) + 1}, and
 * {@code padding ≤ kernel/2} (as PyTorch requires: no window is all padding). The gradient goes only
 * to the arg-max of each window, the first one on ties; elements in no window get 0.
 *
 * <p>Forward tracks the arg-max tap with K strided slices (a few element-wise ND4J ops per tap) and
 * saves it [B, C, L_out]; backward adds {@code g ⊙ [arg == k]} into each tap's slice.
 */
public final class MaxPool1d implements Op {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param kernel  window size, ≥ 1
     * @param stride  step between windows, ≥ 1
     * @param padding −∞ elements added on each side, in [0, kernel/2]
     */
    public MaxPool1d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("max_pool1d: need kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public String name() {
        return "max_pool1d";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Windows1d.requireBcl(name(), x);
        long lOut = Windows1d.outLength(name(), "input " + Shapes.str(x.shape()) + ", kernel " + kernel + ", stride "
                + stride + ", padding " + padding, x.size(2), padding, padding, kernel, stride, 1);
        INDArray xp = Windows1d.pad(x, padding, padding, Double.NEGATIVE_INFINITY);
        INDArray out = Windows1d.tap(xp, 0, 1, stride, lOut).dup('c');
        INDArray arg = Nd4j.zeros(x.dataType(), out.shape());
        for (int k = 1; k < kernel; k++) {
            INDArray t = Windows1d.tap(xp, k, 1, stride, lOut);
            INDArray greaterBool = t.gt(out);                       // strictly greater: the first max wins ties
            INDArray greater = greaterBool.castTo(x.dataType());
            Memory.release(greaterBool);
            Transforms.max(out, t, false);                          // out = max(out, t), in place
            INDArray keep = greater.rsub(1.0);
            arg.muli(keep).addi(greater.muli(k));                   // arg = greater ? k : arg
            Memory.release(keep);
            Memory.release(greater);
        }
        if (xp != x) Memory.release(xp);
        ctx.flops(x.size(0) * x.size(1) * lOut * (long) kernel);
        if (ctx.needsGrad(0)) {
            ctx.save(arg);
        } else {
            Memory.release(arg);
        }
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        long len = shape[2];
        long lOut = g.size(2);
        INDArray arg = ctx.saved(0);
        INDArray dxp = Nd4j.zeros(g.dataType(), shape[0], shape[1], len + 2L * padding);
        for (int k = 0; k < kernel; k++) {
            INDArray hitBool = arg.eq(k);
            INDArray hit = hitBool.castTo(g.dataType());
            Memory.release(hitBool);
            Windows1d.tap(dxp, k, 1, stride, lOut).addi(hit.muli(g));
            Memory.release(hit);
        }
        ctx.flops(2L * g.length() * kernel);
        return new INDArray[] {Windows1d.unpad(dxp, padding, len)};
    }
}
