package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise {@code max(x, 0)}, any shape {@code [...] → [...]}. The gradient is {@code g} where
 * {@code x > 0} and 0 elsewhere (0 at exactly 0, as in PyTorch).
 */
public final class Relu implements Op {
    @Override
    public String name() {
        return "relu";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(x.length());
        return Transforms.relu(x, true);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(2 * g.length());
        INDArray d = Transforms.step(ctx.saved(0), true);   // 1 where x > 0, else 0
        d.muli(g);
        return new INDArray[] {d};
    }
}
