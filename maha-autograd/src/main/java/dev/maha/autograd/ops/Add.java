package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise {@code a + b} with NumPy broadcasting; gradients are summed back to each shape. */
public final class Add implements Op {
    @Override
    public String name() {
        return "add";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        long[] out = Shapes.broadcast(name(), in[0].shape(), in[1].shape());
        ctx.flops(Shapes.length(out));
        return Pairwise.add(in[0], in[1]);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        return new INDArray[] {
            ctx.needsGrad(0) ? Broadcasting.reduceTo(g, ctx.inputShape(0)) : null,
            ctx.needsGrad(1) ? Broadcasting.reduceTo(g, ctx.inputShape(1)) : null
        };
    }
}
