package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Gemm;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 1-D convolution with PyTorch semantics (cross-correlation, no kernel flip), fused into one op:
 * x [B, C_in, L], weight [C_out, C_in, K], optional bias [C_out] → [B, C_out, L_out], with
 * <pre>
 * out[b,o,t] = bias[o] + Σ_c Σ_k w[o,c,k] · x[b, c, t·stride + k·dilation − padLeft]   (x = 0 outside [0, L))
 * L_out      = floor((L + padLeft + padRight − dilation·(K−1) − 1) / stride) + 1
 * </pre>
 * A causal convolution is {@code padLeft = (K−1)·dilation, padRight = 0}: out[..., t] then only reads
 * x[..., ≤ t·stride].
 *
 * <p>Forward: im2col into cols [B·L_out, C_in·K] (K strided slices of the padded input, one ND4J
 * assign per tap), then ONE GEMM {@code cols · W2ᵀ} with W2 = w as [C_out, C_in·K] (the batch is
 * folded into the rows), permuted to [B, C_out, L_out]. Backward: dW = gᵀ·cols (one GEMM),
 * dcols = g·W2 (one GEMM), col2im by K strided add-into-slices, dbias = Σ_{b,t} g.
 * Inputs: {@code (x, w)} or {@code (x, w, bias)} as set by {@code hasBias}.
 */
public final class Conv1d implements Op {
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
     * @param hasBias  whether a third input (bias [C_out]) is given
     */
    public Conv1d(int stride, int padLeft, int padRight, int dilation, boolean hasBias) {
        Windows1d.checkSettings("conv1d", stride, padLeft, padRight, dilation);
        this.stride = stride;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilation = dilation;
        this.hasBias = hasBias;
    }

    @Override
    public String name() {
        return "conv1d";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray w = in[1];
        INDArray bias = hasBias ? in[2] : null;
        Windows1d.requireBcl(name(), x);
        Shapes.requireFloating(name(), "weight", w);
        if (w.rank() != 3 || w.size(1) != x.size(1)) {
            throw new IllegalArgumentException("conv1d: weight must be [C_out, C_in, K] with C_in = " + x.size(1)
                    + " for input " + Shapes.str(x.shape()) + ", got weight " + Shapes.str(w.shape()));
        }
        long b = x.size(0);
        long cin = x.size(1);
        long len = x.size(2);
        long cout = w.size(0);
        long k = w.size(2);
        if (bias != null) Shapes.requireFloating(name(), "bias", bias);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != cout)) {
            throw new IllegalArgumentException("conv1d: bias must be [C_out] = [" + cout + "] for weight "
                    + Shapes.str(w.shape()) + ", got " + Shapes.str(bias.shape()));
        }
        long lOut = Windows1d.outLength(name(), "input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape())
                + ", stride " + stride + ", padding (" + padLeft + ", " + padRight + "), dilation " + dilation,
                len, padLeft, padRight, k, stride, dilation);

        // im2col: cols[b, t, c, k] = xp[b, c, t·stride + k·dilation], one strided copy per tap.
        INDArray xp = Windows1d.pad(x, padLeft, padRight, 0.0);
        INDArray cols = Nd4j.createUninitialized(x.dataType(), new long[] {b, lOut, cin, k}, 'c');
        for (long j = 0; j < k; j++) {
            cols.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j))
                    .assign(Windows1d.tap(xp, j, dilation, stride, lOut).permute(0, 2, 1));
        }
        if (xp != x) Memory.release(xp);

        INDArray w2 = weightMatrix(w);
        INDArray out2 = Gemm.matmul(cols.reshape('c', b * lOut, cin * k), w2, false, true);   // [B·L_out, C_out]
        if (w2 != w && !Memory.sharesBuffer(w2, w)) Memory.release(w2);
        INDArray permuted = out2.reshape('c', b, lOut, cout).permute(0, 2, 1);
        INDArray out = bias != null ? permuted.add(bias.reshape(1, cout, 1)) : permuted.dup('c');
        Memory.release(out2);
        ctx.flops(2L * b * lOut * cout * cin * k + (bias != null ? b * lOut * cout : 0));

        if (ctx.needsGrad(1)) {
            ctx.save(cols);
        } else {
            ctx.save((INDArray) null);
            Memory.release(cols);
        }
        ctx.save(ctx.needsGrad(0) ? w : null);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] xShape = ctx.inputShape(0);
        long[] wShape = ctx.inputShape(1);
        long b = xShape[0];
        long cin = xShape[1];
        long len = xShape[2];
        long cout = wShape[0];
        long k = wShape[2];
        long lOut = g.size(2);
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];

        boolean needX = ctx.needsGrad(0);
        boolean needW = ctx.needsGrad(1);
        if (needX || needW) {
            INDArray g2 = Nd4j.createUninitialized(g.dataType(), new long[] {b, lOut, cout}, 'c');
            g2.assign(g.permute(0, 2, 1));
            g2 = g2.reshape('c', b * lOut, cout);                                          // [B·L_out, C_out]
            if (needW) {
                INDArray cols = ctx.saved(0).reshape('c', b * lOut, cin * k);
                grads[1] = Gemm.matmul(g2, cols, true, false).reshape('c', wShape);          // gᵀ · cols
                ctx.flops(2L * b * lOut * cout * cin * k);
            }
            if (needX) {
                INDArray w = ctx.saved(1);
                INDArray w2 = weightMatrix(w);
                INDArray dcols = Gemm.matmul(g2, w2, false, false).reshape('c', b, lOut, cin, k);   // g · W2
                if (w2 != w && !Memory.sharesBuffer(w2, w)) Memory.release(w2);
                // col2im: every tap adds its column block back into the strided slice it was read from.
                INDArray dxp = Nd4j.zeros(g.dataType(), b, cin, padLeft + len + padRight);
                for (long j = 0; j < k; j++) {
                    Windows1d.tap(dxp, j, dilation, stride, lOut)
                            .addi(dcols.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j))
                                    .permute(0, 2, 1));
                }
                Memory.release(dcols);
                grads[0] = Windows1d.unpad(dxp, padLeft, len);
                ctx.flops(2L * b * lOut * cout * cin * k + b * lOut * cin * k);
            }
            Memory.release(g2);
        }
        if (hasBias && ctx.needsGrad(2)) {
            grads[2] = g.sum(0, 2);
            ctx.flops(b * lOut * cout);
        }
        return grads;
    }

    /** w [C_out, C_in, K] as the matrix [C_out, C_in·K] (a view when w is row-major contiguous). */
    private static INDArray weightMatrix(INDArray w) {
        return Memory.rowMajor(w).reshape('c', w.size(0), w.size(1) * w.size(2));
    }
}
