package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise logistic function {@code 1 / (1 + exp(−x))}, any shape {@code [...] → [...]}. The
 * gradient {@code g · y · (1 − y)} reuses the output {@code y}. The sigmoid counts as 1 FLOP per element.
 */
public final class Sigmoid implements Op {
    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.flops(x.length());
        INDArray y = Transforms.sigmoid(x, true);
        ctx.save(y);
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray y = ctx.saved(0);
        ctx.flops(3 * g.length());
        INDArray d = y.rsub(1);
        d.muli(y).muli(g);
        return new INDArray[] {d};
    }
}
