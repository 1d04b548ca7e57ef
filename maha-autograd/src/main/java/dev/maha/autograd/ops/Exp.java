package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise {@code exp(x)}, any shape {@code [...] → [...]}. The gradient {@code g · exp(x)} reuses
 * the output. The exponential counts as 1 FLOP per element.
 */
public final class Exp implements Op {
    @Override
    public String name() {
        return "exp";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.flops(x.length());
        INDArray y = Transforms.exp(x, true);
        ctx.save(y);
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(g.length());
        return new INDArray[] {g.mul(ctx.saved(0))};
    }
}
