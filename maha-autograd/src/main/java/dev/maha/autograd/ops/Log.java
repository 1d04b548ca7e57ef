package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise natural logarithm, any shape {@code [...] → [...]}; the gradient is {@code g / x}.
 * Non-positive inputs give NaN or −inf, as in PyTorch. The logarithm counts as 1 FLOP per element.
 */
public final class Log implements Op {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(x.length());
        return Transforms.log(x, true);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(g.length());
        return new INDArray[] {g.div(ctx.saved(0))};
    }
}
