package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise {@code |x|}, any shape {@code [...] → [...]}. The gradient is {@code g · sign(x)},
 * 0 at exactly 0 (as in PyTorch).
 */
public final class Abs implements Op {
    @Override
    public String name() {
        return "abs";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(x.length());
        return Transforms.abs(x, true);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(2 * g.length());
        INDArray d = Transforms.sign(ctx.saved(0), true);
        d.muli(g);
        return new INDArray[] {d};
    }
}
