package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.DirectElements;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise 1-D convolution (PyTorch {@code conv1d} with {@code groups = C}): every channel is
 * filtered by its own kernel. x [B, C, L], weight [C, 1, K] (PyTorch layout) or [C, K], optional
 * bias [C] → [B, C, L_out]:
 * <pre>
 * out[b,c,t] = bias[c] + Σ_k w[c,k] · x[b, c, t·stride + k·dilation − padLeft]   (x = 0 outside [0, L))
 * L_out      = floor((L + padLeft + padRight − dilation·(K−1) − 1) / stride) + 1
 * </pre>
 * Backward: dx[b,c,src] += g[b,c,t]·w[c,k], dw[c,k] = Σ_{b,t} g[b,c,t]·x[b,c,src], dbias = Σ_{b,t} g.
 * Inputs: {@code (x, w)} or {@code (x, w, bias)}.
 *
 * <p>Computed by plain Java loops over the arrays' off-heap buffers ({@link DirectElements}), walking
 * each array with its own strides: the work is a few multiply-adds per element, where a chain of ND4J
 * ops on strided tap slices costs far more than the arithmetic (measured: the backward of MAHA's six
 * downsampling convolutions at n = 4096 fell from ~100 ms to a few ms). A channels-last input (the
 * transpose of a [B, n, d] sequence) gives a channels-last output, so transposing back is free.
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

        INDArray xd = channelsLast(x);
        INDArray out = like(xd, b, c, lOut);
        sweepOutputs(b, c, lOut, DirectElements.of(out), bias == null ? new double[(int) c] : values(bias));
        sweep(Pass.FORWARD, b, c, len, lOut, k, xd, out, values(w));
        ctx.flops(2L * b * c * lOut * k + (bias != null ? b * c * lOut : 0));

        if (ctx.needsGrad(1)) {
            ctx.save(xd);
        } else {
            ctx.save((INDArray) null);
            if (xd != x) Memory.release(xd);
        }
        ctx.save(ctx.needsGrad(0) ? w : null);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] xShape = ctx.inputShape(0);
        long[] wShape = ctx.inputShape(1);
        long b = xShape[0];
        long c = xShape[1];
        long len = xShape[2];
        long k = wShape[wShape.length - 1];
        long lOut = g.size(2);
        long n = g.length();
        INDArray gd = channelsLast(g);
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        if (ctx.needsGrad(0)) {
            INDArray dx = like(gd, b, c, len);
            sweepOutputs(b, c, len, DirectElements.of(dx), new double[(int) c]);      // zero
            sweep(Pass.INPUT_GRAD, b, c, len, lOut, k, dx, gd, values(ctx.saved(1)));
            grads[0] = dx;
            ctx.flops(2L * n * k);
        }
        if (ctx.needsGrad(1)) {
            double[] dw = new double[(int) (c * k)];
            sweep(Pass.WEIGHT_GRAD, b, c, len, lOut, k, ctx.saved(0), gd, dw);
            grads[1] = Nd4j.create(dw, wShape, g.dataType());
            ctx.flops(2L * n * k);
        }
        if (hasBias && ctx.needsGrad(2)) {
            grads[2] = g.sum(0, 2);
            ctx.flops(n);
        }
        if (gd != g) Memory.release(gd);
        return grads;
    }

    /** Channels per parallel chunk of the tap walk. */
    private static final int CHANNEL_CHUNK = 64;

    /** The three uses of the tap walk. */
    private enum Pass {
        /** y[b, c, t] += w[c, k] · x[b, c, src] */
        FORWARD,
        /** x[b, c, src] += w[c, k] · y[b, c, t]   (x is dx, y is the output gradient) */
        INPUT_GRAD,
        /** w[c, k] += y[b, c, t] · x[b, c, src]   (w accumulates dw, y is the output gradient) */
        WEIGHT_GRAD
    }

    /**
     * Walks every (batch, output position t, tap k) whose input position
     * {@code src = t·stride + k·dilation − padLeft} lies in [0, len) (padding is zero, so the other taps
     * add nothing) and applies {@code pass} to a range of channels at once: the channel rows of y at t
     * and of x at src are read into Java arrays (each array walked with its own strides), combined in a
     * tight loop, and written back where they changed. Channel ranges run in parallel.
     *
     * @param x input (or dx) [B, C, len]
     * @param y output (or output gradient) [B, C, lOut]
     * @param w weights (or dw) {@code [C·K]}, row-major [C, K]
     */
    private void sweep(Pass pass, long b, long c, long len, long lOut, long k, INDArray x, INDArray y, double[] w) {
        // Channel ranges are independent in every pass (no two ranges touch the same element or weight).
        // Tap-major weights: the inner loop over channels then reads them contiguously.
        int kk = (int) k;
        double[] wt = new double[w.length];
        for (int ch = 0; ch < c; ch++) for (int tap = 0; tap < kk; tap++) wt[tap * (int) c + ch] = w[ch * kk + tap];
        Parallel.forChunks((int) c, CHANNEL_CHUNK, (chunk, c0, c1) -> sweepChannels(pass, b, c, c0, c1, len, lOut, k,
                DirectElements.of(x), DirectElements.of(y), wt));
        if (pass == Pass.WEIGHT_GRAD) {
            for (int ch = 0; ch < c; ch++) for (int tap = 0; tap < kk; tap++) w[ch * kk + tap] = wt[tap * (int) c + ch];
        }
    }

    private void sweepChannels(Pass pass, long b, long c, int c0, int c1, long len, long lOut, long k, DirectElements x,
                               DirectElements y, double[] wt) {
        long[] sx = x.strides();
        long[] sy = y.strides();
        int kk = (int) k;
        int cc = c1 - c0;
        double[] yRow = new double[cc];
        double[] xRow = new double[cc];
        for (long bi = 0; bi < b; bi++) {
            for (long t = 0; t < lOut; t++) {
                long yBase = bi * sy[0] + t * sy[2] + c0 * sy[1];
                y.read(yBase, sy[1], yRow, 0, cc);
                for (int tap = 0; tap < kk; tap++) {
                    long src = t * stride + (long) tap * dilation - padLeft;
                    if (src < 0 || src >= len) continue;
                    long xBase = bi * sx[0] + src * sx[2] + c0 * sx[1];
                    x.read(xBase, sx[1], xRow, 0, cc);
                    switch (pass) {
                        case FORWARD -> {
                            int wo = tap * (int) c + c0;
                            for (int j = 0; j < cc; j++) yRow[j] += wt[wo + j] * xRow[j];
                        }
                        case INPUT_GRAD -> {
                            int wo = tap * (int) c + c0;
                            for (int j = 0; j < cc; j++) xRow[j] += wt[wo + j] * yRow[j];
                            x.write(xBase, sx[1], xRow, 0, cc);
                        }
                        case WEIGHT_GRAD -> {
                            int wo = tap * (int) c + c0;
                            for (int j = 0; j < cc; j++) wt[wo + j] += yRow[j] * xRow[j];
                        }
                    }
                }
                if (pass == Pass.FORWARD) y.write(yBase, sy[1], yRow, 0, cc);
            }
        }
    }

    /** Sets every output element y[b, c, t] to bias[c]. */
    private static void sweepOutputs(long b, long c, long lOut, DirectElements y, double[] bias) {
        long[] sy = y.strides();
        for (long bi = 0; bi < b; bi++) {
            for (long t = 0; t < lOut; t++) y.write(bi * sy[0] + t * sy[2], sy[1], bias, 0, (int) c);
        }
    }

    /** A small array's values in row-major order as a Java array (weights [C, 1, K] or [C, K], bias [C]). */
    private static double[] values(INDArray a) {
        if (Memory.isRowMajorDense(a)) return a.data().asDouble();
        INDArray copy = a.dup('c');
        double[] out = copy.data().asDouble();
        Memory.release(copy);
        return out;
    }

    /**
     * {@code a} [B, C, L] itself when it is channels-last (a [B, L, C] row-major buffer seen through a
     * permutation), else such a copy: the kernel's inner loop runs over channels, which must be
     * contiguous to be fast (channels-first rows were measured 5× slower).
     */
    private static INDArray channelsLast(INDArray a) {
        if (Memory.isDenseFromStart(a) && (a.stride(1) == 1 || a.size(1) == 1)) return a;
        INDArray copy = Nd4j.createUninitialized(a.dataType(), new long[] {a.size(0), a.size(2), a.size(1)}, 'c');
        copy.assign(a.permute(0, 2, 1));
        return copy.permute(0, 2, 1);
    }

    /**
     * A new uninitialized [B, C, L] array laid out like {@code x}: channels-last (a [B, L, C] row-major
     * buffer seen through a permutation) when x is, so that the layer's usual transpose back to
     * [B, L, C] costs nothing.
     */
    private static INDArray like(INDArray x, long b, long c, long len) {
        boolean channelsLast = x.stride(1) == 1 && c > 1;
        if (channelsLast) return Nd4j.createUninitialized(x.dataType(), new long[] {b, len, c}, 'c').permute(0, 2, 1);
        return Nd4j.createUninitialized(x.dataType(), new long[] {b, c, len}, 'c');
    }
}
