package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax along one axis, same shape in and out: {@code y = exp(x − max) / Σ exp(x − max)}. Numerically
 * stable: the libnd4j {@code softmax} kernel subtracts the line maximum first (large inputs such as
 * 1000 do not overflow), and {@code −∞} entries (masked positions) get probability 0 with a finite
 * gradient. Saves the output, not the input; the gradient is {@code y ⊙ (g − Σ g ⊙ y)}.
 * FLOPs (exp counted as 1): 5 per element forward (max, subtract, exp, sum, divide), 4 backward.
 */
public final class Softmax implements Op {
    private final int axis;

    /** @param axis the normalized axis (negative counts from the end) */
    public Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank());
        Shapes.requireFloating(name(), "input", x);
        INDArray y = Nd4j.create(x.dataType(), x.shape());
        if (x.length() > 0) Nd4j.exec(new SoftMax(x, y, a));
        ctx.save(y);
        ctx.flops(5 * x.length());
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray y = ctx.saved(0);
        int a = Shapes.axis(name(), axis, y.rank());
        ctx.flops(4 * y.length());
        INDArray gy = g.mul(y);
        INDArray s = gy.sum(true, a);
        Memory.release(gy);
        INDArray dx = g.sub(s);
        Memory.release(s);
        dx.muli(y);
        return new INDArray[] {dx};
    }
}
