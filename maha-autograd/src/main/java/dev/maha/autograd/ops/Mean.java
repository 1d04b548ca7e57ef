package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arithmetic mean over axes: {@code [3,4,5]} over axis 1 → {@code [3,5]} ({@code [3,1,5]} with
 * {@code keepDims}); no axes means every axis (a rank-0 result). The gradient is {@code g / count}
 * broadcast back over the reduced axes. Floating-point inputs only. FLOPs: one per input element
 * forward (the additions and divisions), one per input element backward.
 */
public final class Mean implements Op {
    private final int[] axes;
    private final boolean keepDims;

    /**
     * @param axes     axes to reduce (negative counts from the end); empty means every axis
     * @param keepDims whether reduced axes stay, with size 1
     */
    public Mean(int[] axes, boolean keepDims) {
        this.axes = axes.clone();
        this.keepDims = keepDims;
    }

    /** The mean of every element, as a rank-0 tensor. */
    public static Mean all() {
        return new Mean(new int[0], false);
    }

    @Override
    public String name() {
        return "mean";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "input", x);
        long[] kept = kept(x.shape());
        if (x.length() == 0) {
            throw new IllegalArgumentException("mean: input " + Shapes.str(x.shape()) + " is empty");
        }
        ctx.flops(x.length());
        if (axes.length == 0) {
            INDArray m = x.mean();
            return keepDims ? m.reshape(kept) : m.reshape(new long[0]);
        }
        return x.mean(keepDims, Shapes.axes(name(), axes, x.rank()));
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        long[] kept = kept(shape);
        long count = Shapes.length(shape) / Shapes.length(kept);
        ctx.flops(Shapes.length(shape));
        INDArray gk = g.reshape(kept);
        INDArray scaled = gk.mul(1.0 / count);
        if (!Memory.sharesBuffer(gk, g)) Memory.release(gk);
        INDArray out = Shapes.expand(scaled, shape);
        if (!Memory.sharesBuffer(out, scaled)) Memory.release(scaled);
        return new INDArray[] {out};
    }

    /** The input shape with every reduced axis set to 1. */
    private long[] kept(long[] shape) {
        long[] kept = shape.clone();
        if (axes.length == 0) Arrays.fill(kept, 1);
        else for (int a : Shapes.axes(name(), axes, shape.length)) kept[a] = 1;
        return kept;
    }
}
