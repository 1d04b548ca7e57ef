package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise {@code a − b} with NumPy broadcasting: {@code [..a] − [..b] → broadcast([..a], [..b])}.
 * The gradients, {@code g} and {@code −g}, are summed back to each input's shape.
 */
public final class Sub implements Op {
    @Override
    public String name() {
        return "sub";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        long[] out = Shapes.broadcast(name(), in[0].shape(), in[1].shape());
        ctx.flops(Shapes.length(out));
        return Pairwise.sub(in[0], in[1]);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray da = ctx.needsGrad(0) ? Broadcasting.reduceTo(g, ctx.inputShape(0)) : null;
        INDArray db = null;
        if (ctx.needsGrad(1)) {
            ctx.flops(g.length());
            INDArray r = Broadcasting.reduceTo(g, ctx.inputShape(1));
            db = Memory.sharesBuffer(r, g) ? r.neg() : r.negi();
        }
        return new INDArray[] {da, db};
    }
}
