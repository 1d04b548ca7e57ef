package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise square root, any shape {@code [...] → [...]}. The gradient {@code g / (2·sqrt(x))}
 * reuses the output (inf at 0, as in PyTorch). The root counts as 1 FLOP per element.
 */
public final class Sqrt implements Op {
    @Override
    public String name() {
        return "sqrt";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.flops(x.length());
        INDArray y = Transforms.sqrt(x, true);
        ctx.save(y);
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(2 * g.length());
        return new INDArray[] {g.div(ctx.saved(0)).muli(0.5)};
    }
}
