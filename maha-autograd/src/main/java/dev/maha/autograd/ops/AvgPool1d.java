package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D average pooling along the last axis, PyTorch {@code avg_pool1d} defaults (floor mode,
 * {@code count_include_pad = true}): x [B, C, L] → [B, C, L_out],
 * {@code out[b,c,t] = (1/kernel) Σ_k xp[b, c, t·stride + k]} where xp is x padded with zeros on both
 * sides (padded zeros count in the divisor), {@code L_out = floor((L + 2·padding − kernel) / stride) + 1},
 * {@code padding ≤ kernel/2}. Backward adds {@code g / kernel} into each tap's strided slice.
 */
public final class AvgPool1d implements Op {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param kernel  window size, ≥ 1
     * @param stride  step between windows, ≥ 1
     * @param padding zeros added on each side, in [0, kernel/2]
     */
    public AvgPool1d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("avg_pool1d: need kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public String name() {
        return "avg_pool1d";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Windows1d.requireBcl(name(), x);
        long lOut = Windows1d.outLength(name(), "input " + Shapes.str(x.shape()) + ", kernel " + kernel + ", stride "
                + stride + ", padding " + padding, x.size(2), padding, padding, kernel, stride, 1);
        INDArray xp = Windows1d.pad(x, padding, padding, 0.0);
        INDArray out = Windows1d.tap(xp, 0, 1, stride, lOut).dup('c');
        for (int k = 1; k < kernel; k++) out.addi(Windows1d.tap(xp, k, 1, stride, lOut));
        out.divi(kernel);
        if (xp != x) Memory.release(xp);
        ctx.flops(x.size(0) * x.size(1) * lOut * (long) kernel);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        long len = shape[2];
        long lOut = g.size(2);
        INDArray share = g.div(kernel);
        INDArray dxp = Nd4j.zeros(g.dataType(), shape[0], shape[1], len + 2L * padding);
        for (int k = 0; k < kernel; k++) Windows1d.tap(dxp, k, 1, stride, lOut).addi(share);
        Memory.release(share);
        ctx.flops(g.length() * (long) (kernel + 1));
        return new INDArray[] {Windows1d.unpad(dxp, padding, len)};
    }
}
