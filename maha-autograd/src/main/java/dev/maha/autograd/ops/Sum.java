package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sum over axes ({@code keepDims} keeps them with size 1); the gradient broadcasts back. */
public final class Sum implements Op {
    private final int[] axes;
    private final boolean keepDims;

    /**
     * @param axes     axes to reduce (negative counts from the end); empty means every axis
     * @param keepDims whether reduced axes stay, with size 1
     */
    public Sum(int[] axes, boolean keepDims) {
        this.axes = axes.clone();
        this.keepDims = keepDims;
    }

    /** The sum of every element, as a rank-0 tensor. */
    public static Sum all() {
        return new Sum(new int[0], false);
    }

    @Override
    public String name() {
        return "sum";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        ctx.flops(x.length());
        if (axes.length == 0) {
            INDArray s = x.sum();
            if (!keepDims) return s.reshape(new long[0]);
            long[] ones = new long[x.rank()];
            Arrays.fill(ones, 1);
            return s.reshape(ones);
        }
        int[] ax = Shapes.axes(name(), axes, x.rank());
        return x.sum(keepDims, ax);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        long[] kept = shape.clone();
        if (axes.length == 0) Arrays.fill(kept, 1);
        else for (int a : Shapes.axes(name(), axes, shape.length)) kept[a] = 1;
        INDArray gk = g.reshape(kept);
        INDArray out = Shapes.expand(gk, shape);   // fresh, or a view of g that the engine copies
        return new INDArray[] {out};
    }
}
