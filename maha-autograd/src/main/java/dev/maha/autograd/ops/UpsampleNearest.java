package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
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
 * <p>It is an {@link IndexSelect} with computed indices: forward is one gather, and the gradient of a
 * source position is the sum of {@code g} over every destination that reads it (one scatter-add).
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
        INDArray idx = Nd4j.createFromArray(sourceIndex(n, outLength));
        ctx.save(idx);
        ctx.flops(0);
        return IndexSelect.gather(x, a, idx);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        ctx.flops(g.length());
        return new INDArray[] {IndexSelect.scatterAdd(g, Shapes.axis(name(), axis, shape.length), ctx.saved(0), shape)};
    }

    /** {@code src[t] = (t·inLength) div outLength} for {@code t < outLength}. */
    public static long[] sourceIndex(long inLength, long outLength) {
        long[] src = new long[Math.toIntExact(outLength)];
        for (int t = 0; t < src.length; t++) src[t] = Math.multiplyExact((long) t, inLength) / outLength;
        return src;
    }
}
