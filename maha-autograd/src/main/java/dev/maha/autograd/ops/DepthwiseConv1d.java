package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Depthwise 1-D convolution (PyTorch {@code conv1d} with {@code groups = C}): every channel is
 * filtered by its own kernel. x [B, C, L], weight [C, 1, K] (PyTorch layout) or [C, K], optional
 * bias [C] → [B, C, L_out]:
 * <pre>
 * out[b,c,t] = bias[c] + Σ_k w[c,k] · x[b, c, t·stride + k·dilation − padLeft]   (x = 0 outside [0, L))
 * L_out      = floor((L + padLeft + padRight − dilation·(K−1) − 1) / stride) + 1
 * </pre>
 * Computed as {@code Σ_k w[:,k] ⊙ tap_k} over the K strided slices of the padded input (a few
 * element-wise ND4J ops per tap). Backward: dx adds {@code g ⊙ w[:,k]} into each tap's slice,
 * dw[:,k] = Σ_{b,t} g ⊙ tap_k, dbias = Σ_{b,t} g. Inputs: {@code (x, w)} or {@code (x, w, bias)}.
 */
public final class DepthwiseConv1d implements Op {
    private final int stride;
    private final int padLeft;
    private final int padRight;
    private final int dilation;
    private final boolean hasBias;

    /**
     * @param stride   step between output positions, ≥ 1
     * @param padLeft  zeros added before the sequence, ≥ 0
     * @param padRight zeros added after the sequence, ≥ 0
     * @param dilation spacing between kernel taps, ≥ 1
     * @param hasBias  whether a third input (bias [C]) is given
     */
    public DepthwiseConv1d(int stride, int padLeft, int padRight, int dilation, boolean hasBias) {
        Windows1d.checkSettings("depthwise_conv1d", stride, padLeft, padRight, dilation);
        this.stride = stride;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilation = dilation;
        this.hasBias = hasBias;
    }

    @Override
    public String name() {
        return "depthwise_conv1d";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray w = in[1];
        INDArray bias = hasBias ? in[2] : null;
        Windows1d.requireBcl(name(), x);
        Shapes.requireFloating(name(), "weight", w);
        long b = x.size(0);
        long c = x.size(1);
        long len = x.size(2);
        boolean layoutOk = (w.rank() == 3 && w.size(1) == 1) || w.rank() == 2;
        if (!layoutOk || w.size(0) != c) {
            throw new IllegalArgumentException("depthwise_conv1d: weight must be [C, 1, K] or [C, K] with C = " + c
                    + " for input " + Shapes.str(x.shape()) + ", got weight " + Shapes.str(w.shape()));
        }
        long k = w.size(w.rank() - 1);
        if (bias != null) Shapes.requireFloating(name(), "bias", bias);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != c)) {
            throw new IllegalArgumentException("depthwise_conv1d: bias must be [C] = [" + c + "] for input "
                    + Shapes.str(x.shape()) + ", got " + Shapes.str(bias.shape()));
        }
        long lOut = Windows1d.outLength(name(), "input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape())
                + ", stride " + stride + ", padding (" + padLeft + ", " + padRight + "), dilation " + dilation,
                len, padLeft, padRight, k, stride, dilation);

        INDArray xp = Windows1d.pad(x, padLeft, padRight, 0.0);
        INDArray wt = tapMajor(w);
        INDArray out = null;
        for (long j = 0; j < k; j++) {
            INDArray term = Windows1d.tap(xp, j, dilation, stride, lOut).mul(tapWeights(wt, j, c));
            if (out == null) {
                out = term;
            } else {
                out.addi(term);
                Memory.release(term);
            }
        }
        Memory.release(wt);
        if (bias != null) out.addi(bias.reshape(1, c, 1));
        ctx.flops(2L * b * c * lOut * k + (bias != null ? b * c * lOut : 0));

        if (ctx.needsGrad(1)) {
            ctx.save(xp);
        } else {
            ctx.save((INDArray) null);
            if (xp != x) Memory.release(xp);
        }
        ctx.save(ctx.needsGrad(0) ? w : null);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] xShape = ctx.inputShape(0);
        long[] wShape = ctx.inputShape(1);
        long c = xShape[1];
        long len = xShape[2];
        long k = wShape[wShape.length - 1];
        long lOut = g.size(2);
        long n = g.length();
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        if (ctx.needsGrad(0)) {
            INDArray wt = tapMajor(ctx.saved(1));
            INDArray dxp = Nd4j.zeros(g.dataType(), xShape[0], c, padLeft + len + padRight);
            for (long j = 0; j < k; j++) {
                INDArray term = g.mul(tapWeights(wt, j, c));
                Windows1d.tap(dxp, j, dilation, stride, lOut).addi(term);
                Memory.release(term);
            }
            Memory.release(wt);
            grads[0] = Windows1d.unpad(dxp, padLeft, len);
            ctx.flops(2L * n * k);
        }
        if (ctx.needsGrad(1)) {
            INDArray xp = ctx.saved(0);
            INDArray dw = Nd4j.createUninitialized(g.dataType(), new long[] {c, k}, 'c');
            for (long j = 0; j < k; j++) {
                INDArray prod = g.mul(Windows1d.tap(xp, j, dilation, stride, lOut));
                INDArray s = prod.sum(0, 2);
                dw.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(s);
                Memory.release(prod);
                Memory.release(s);
            }
            grads[1] = dw.reshape('c', wShape);
            ctx.flops(2L * n * k);
        }
        if (hasBias && ctx.needsGrad(2)) {
            grads[2] = g.sum(0, 2);
            ctx.flops(n);
        }
        return grads;
    }

    /** The weights [C, 1, K] or [C, K] as a new row-major [K, C] array (one contiguous row per tap). */
    private static INDArray tapMajor(INDArray w) {
        INDArray ck = w.rank() == 3 ? w.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()) : w;
        INDArray wt = Nd4j.createUninitialized(w.dataType(), new long[] {ck.size(1), ck.size(0)}, 'c');
        return wt.assign(ck.transpose());
    }

    /** Row j of wt [K, C], a view shaped [1, C, 1] for broadcasting against [B, C, L]. */
    private static INDArray tapWeights(INDArray wt, long j, long c) {
        return wt.get(NDArrayIndex.point(j), NDArrayIndex.all()).reshape('c', 1, c, 1);
    }
}
