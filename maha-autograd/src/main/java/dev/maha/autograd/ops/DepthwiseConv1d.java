package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
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
 * dw[:,k] = Σ_{b,t} g ⊙ tap_k, dbias = Σ_{b,t} g; for float32/float64, dx and dw are computed in one
 * pass over plain Java arrays (ND4J's ops on strided tap views are slow). Inputs: {@code (x, w)} or {@code (x, w, bias)}.
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
        boolean direct = g.dataType() == DataType.FLOAT || g.dataType() == DataType.DOUBLE;
        if (ctx.needsGrad(0)) {
            if (direct) {
                grads[0] = inputGradDirect(g, ctx.saved(1), xShape, k, lOut);
            } else {
                INDArray wt = tapMajor(ctx.saved(1));
                INDArray dxp = Nd4j.zeros(g.dataType(), xShape[0], c, padLeft + len + padRight);
                for (long j = 0; j < k; j++) {
                    INDArray term = g.mul(tapWeights(wt, j, c));
                    Windows1d.tap(dxp, j, dilation, stride, lOut).addi(term);
                    Memory.release(term);
                }
                Memory.release(wt);
                grads[0] = Windows1d.unpad(dxp, padLeft, len);
            }
            ctx.flops(2L * n * k);
        }
        if (ctx.needsGrad(1)) {
            INDArray xp = ctx.saved(0);
            if (direct) {
                grads[1] = weightGradDirect(g, xp, k, lOut).reshape('c', wShape);
            } else {
                INDArray dw = Nd4j.createUninitialized(g.dataType(), new long[] {c, k}, 'c');
                for (long j = 0; j < k; j++) {
                    INDArray prod = g.mul(Windows1d.tap(xp, j, dilation, stride, lOut));
                    INDArray s = prod.sum(0, 2);
                    dw.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(s);
                    Memory.release(prod);
                    Memory.release(s);
                }
                grads[1] = dw.reshape('c', wShape);
            }
            ctx.flops(2L * n * k);
        }
        if (hasBias && ctx.needsGrad(2)) {
            grads[2] = g.sum(0, 2);
            ctx.flops(n);
        }
        return grads;
    }

    /**
     * dx [B, C, L] = Σ_k scatter of g ⊙ w[:,k] into tap k, as one pass over plain Java arrays: ND4J's
     * element-wise ops on strided tap views ran at well under 1 GB/s (16 ms for [1, 256, 4096], K = 3,
     * stride 2). Products and sums in double, rounded once to the data type.
     */
    private INDArray inputGradDirect(INDArray g, INDArray w, long[] xShape, long k, long lOut) {
        long bc = xShape[0] * xShape[1];
        long c = xShape[1];
        int len = Math.toIntExact(xShape[2]);
        double[] gv = values(g);
        double[] wv = values(w);                                    // [C, K] row-major (also [C, 1, K])
        double[] dx = new double[Math.toIntExact(bc * len)];
        for (long row = 0; row < bc; row++) {
            int ch = (int) (row % c);
            int gBase = Math.toIntExact(row * lOut);
            int xBase = Math.toIntExact(row * len);
            for (int j = 0; j < k; j++) {
                double wj = wv[(int) (ch * k + j)];
                int off = j * dilation - padLeft;
                for (int t = 0; t < lOut; t++) {
                    int p = t * stride + off;
                    if (p >= 0 && p < len) dx[xBase + p] += gv[gBase + t] * wj;
                }
            }
        }
        return array(dx, g.dataType(), xShape);
    }

    /** dw [C, K] = Σ_{b,t} g ⊙ tap_k of the padded input, one pass over plain Java arrays (sums in double). */
    private INDArray weightGradDirect(INDArray g, INDArray xp, long k, long lOut) {
        long b = xp.size(0);
        int c = Math.toIntExact(xp.size(1));
        int lp = Math.toIntExact(xp.size(2));
        double[] gv = values(g);
        double[] xv = values(xp);
        double[] dw = new double[Math.toIntExact(c * k)];
        for (long bi = 0; bi < b; bi++) {
            for (int ch = 0; ch < c; ch++) {
                int row = Math.toIntExact(bi * c + ch);
                int gBase = Math.toIntExact((long) row * lOut);
                int xBase = Math.toIntExact((long) row * lp);
                for (int j = 0; j < k; j++) {
                    int off = xBase + j * dilation;
                    double acc = 0;
                    for (int t = 0; t < lOut; t++) acc += gv[gBase + t] * xv[off + t * stride];
                    dw[(int) (ch * k + j)] += acc;
                }
            }
        }
        return array(dw, g.dataType(), new long[] {c, k});
    }

    /** The elements of {@code a} (FLOAT or DOUBLE) in row-major order as doubles, by one bulk copy. */
    private static double[] values(INDArray a) {
        INDArray dense = Memory.rowMajor(a);
        int n = Math.toIntExact(dense.length());
        double[] v = new double[n];
        if (dense.dataType() == DataType.FLOAT) {
            float[] f = new float[n];
            new FloatPointer(dense.data().addressPointer()).get(f);   // DataBuffer.asDouble is per element, ~5x slower
            for (int i = 0; i < n; i++) v[i] = f[i];
        } else {
            new DoublePointer(dense.data().addressPointer()).get(v);
        }
        if (dense != a) Memory.release(dense);
        return v;
    }

    /** A new row-major array of the given type (FLOAT or DOUBLE) and shape holding {@code v}, by one bulk copy. */
    private static INDArray array(double[] v, DataType dt, long[] shape) {
        INDArray out = Nd4j.createUninitialized(dt, shape, 'c');
        if (dt == DataType.FLOAT) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            new FloatPointer(out.data().addressPointer()).put(f);
        } else {
            new DoublePointer(out.data().addressPointer()).put(v);
        }
        return out;
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
