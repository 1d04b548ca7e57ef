package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise {@code −x}, any shape {@code [...] → [...]}; the gradient is {@code −g}. */
public final class Neg implements Op {
    @Override
    public String name() {
        return "neg";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        Shapes.requireFloating(name(), "x", in[0]);
        ctx.flops(in[0].length());
        return in[0].neg();
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(g.length());
        return new INDArray[] {g.neg()};
    }
}
