package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise hyperbolic tangent, any shape {@code [...] → [...]}. The gradient
 * {@code g · (1 − y²)} reuses the output {@code y}. tanh counts as 1 FLOP per element.
 */
public final class Tanh implements Op {
    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.flops(x.length());
        INDArray y = Transforms.tanh(x, true);
        ctx.save(y);
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray y = ctx.saved(0);
        ctx.flops(3 * g.length());
        INDArray d = y.mul(y);
        d.rsubi(1).muli(g);
        return new INDArray[] {d};
    }
}
