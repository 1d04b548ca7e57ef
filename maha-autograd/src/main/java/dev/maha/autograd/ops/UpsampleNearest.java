package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-neighbour resampling along one axis: {@code [..., n, ...]} → {@code [..., outLength, ...]} with
 * {@code out[..., t, ...] = x[..., (t·n) div outLength, ...]}, PyTorch 1.13's {@code upsample_nearest}
 * rule in exact integer arithmetic (for example 5 → 11 reads {@code [0,0,0,1,1,2,2,3,3,4,4]}; 4 → 8 is
 * {@code t >> 1}). Shrinking ({@code outLength < n}) follows the same rule.
 *
 * <p>When the new length is a multiple R of the old one, every row is repeated R times (a broadcast
 * and a reshape; the gradient sums g over the R copies). Otherwise it is an {@link IndexSelect} with
 * computed indices: forward is one gather, and the gradient of a source position is the sum of
 * {@code g} over every destination that reads it (one scatter-add).
 * Forward moves data (0 FLOPs); backward counts one addition per element of {@code g}.
 */
public final class UpsampleNearest implements Op {
    private final int axis;
    private final long outLength;

    /** @param axis the axis to resample (negative counts from the end)  @param outLength its new size, ≥ 1 */
    public UpsampleNearest(int axis, long outLength) {
        this.axis = axis;
        this.outLength = outLength;
    }

    @Override
    public String name() {
        return "upsample_nearest";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank());
        long n = x.size(a);
        if (outLength < 1 || n < 1) {
            throw new IllegalArgumentException("upsample_nearest: cannot resample axis " + axis + " of " + Shapes.str(x.shape())
                    + " to length " + outLength + " (both lengths must be >= 1)");
        }
        ctx.flops(0);
        if (outLength % n == 0) {
            ctx.save((INDArray) null);
            return repeat(x, a, outLength / n);
        }
        INDArray idx = Nd4j.createFromArray(sourceIndex(n, outLength));
        ctx.save(idx);
        return IndexSelect.gather(x, a, idx);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        ctx.flops(g.length());
        int a = Shapes.axis(name(), axis, shape.length);
        if (ctx.saved(0) == null) return new INDArray[] {sumRepeats(g, a, g.size(a) / shape[a])};
        return new INDArray[] {IndexSelect.scatterAdd(g, a, ctx.saved(0), shape)};
    }

    /**
     * The integer-factor case (outLength = R·n, where {@code (t·n) div outLength = t div R}): every
     * row repeated R times, as a broadcast into [..., n, R, ...] and a reshape. A gather by index and
     * its scatter-add gradient cost several times more (measured: MAHA's causal upsampling backward
     * at n = 4096).
     */
    private static INDArray repeat(INDArray x, int a, long times) {
        long[] lifted = new long[x.rank() + 1];
        for (int i = 0; i < lifted.length; i++) lifted[i] = i <= a ? x.size(i) : i == a + 1 ? 1 : x.size(i - 1);
        long[] expanded = lifted.clone();
        expanded[a + 1] = times;
        INDArray xr = Memory.rowMajor(x);
        INDArray out = Shapes.expand(xr.reshape('c', lifted), expanded);      // a fresh row-major copy
        if (xr != x) Memory.release(xr);
        long[] shape = x.shape().clone();
        shape[a] *= times;
        return out.reshape('c', shape);
    }

    /** The gradient of {@link #repeat}: g [..., R·n, ...] viewed as [..., n, R, ...], summed over R. */
    private static INDArray sumRepeats(INDArray g, int a, long times) {
        INDArray gr = Memory.rowMajor(g);
        long[] split = new long[g.rank() + 1];
        for (int i = 0; i < split.length; i++) {
            if (i < a) split[i] = g.size(i);
            else if (i == a) split[i] = g.size(a) / times;
            else if (i == a + 1) split[i] = times;
            else split[i] = g.size(i - 1);
        }
        INDArray out = gr.reshape('c', split).sum(a + 1);
        if (gr != g) Memory.release(gr);
        return out;
    }

    /** {@code src[t] = (t·inLength) div outLength} for {@code t < outLength}. */
    public static long[] sourceIndex(long inLength, long outLength) {
        long[] src = new long[Math.toIntExact(outLength)];
        for (int t = 0; t < src.length; t++) src[t] = Math.multiplyExact((long) t, inLength) / outLength;
        return src;
    }
}
