package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise {@code a / b} with NumPy broadcasting: {@code [..a] / [..b] → broadcast([..a], [..b])}.
 * {@code da = g / b} and {@code db = −g · (a / b) / b}, each summed back to its input's shape.
 * Division by zero follows IEEE (±inf, NaN), as in PyTorch.
 */
public final class Div implements Op {
    @Override
    public String name() {
        return "div";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        long[] out = Shapes.broadcast(name(), in[0].shape(), in[1].shape());
        ctx.save(in[0], in[1]);
        ctx.flops(Shapes.length(out));
        return Pairwise.div(in[0], in[1]);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray a = ctx.saved(0);
        INDArray b = ctx.saved(1);
        INDArray da = null;
        INDArray db = null;
        if (ctx.needsGrad(0)) {
            ctx.flops(g.length());
            da = reduceFresh(Pairwise.div(g, b), ctx.inputShape(0));
        }
        if (ctx.needsGrad(1)) {
            ctx.flops(4 * g.length());
            INDArray t = Pairwise.div(a, b);   // broadcast shape = g's shape, a fresh array
            Pairwise.divi(t, b).muli(g).negi();
            db = reduceFresh(t, ctx.inputShape(1));
        }
        return new INDArray[] {da, db};
    }

    /** Sums a fresh broadcast-shaped array down to {@code shape}, freeing it when the sum is a new array. */
    private static INDArray reduceFresh(INDArray full, long[] shape) {
        INDArray r = Broadcasting.reduceTo(full, shape);
        if (!Memory.sharesBuffer(r, full)) Memory.release(full);
        return r;
    }
}
