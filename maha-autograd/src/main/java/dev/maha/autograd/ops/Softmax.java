package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax along one axis, same shape in and out: {@code y = exp(x − m) / Σ exp(x − m)} with {@code m} the
 * line maximum, so large inputs (±1000) neither overflow nor underflow to 0/0, and {@code −∞} entries
 * (masked positions) get probability 0 with a finite gradient (a line that is entirely {@code −∞} gives
 * NaN, as in PyTorch). Saves the output, not the input; the gradient is {@code y ⊙ (g − Σ g ⊙ y)}.
 * Built from ND4J vector ops: the libnd4j {@code softmax} kernel of 1.0.0-M2.1 returns NaN in float64
 * for lines such as {@code [−1000, −1001, −1002]}. FLOPs (exp counted as 1): 5 per element forward
 * (max, subtract, exp, sum, divide), 4 backward.
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
        ctx.flops(5 * x.length());
        if (x.length() == 0) {
            INDArray empty = x.dup('c');
            ctx.save(empty);
            return empty;
        }
        INDArray m = x.max(true, a);
        INDArray y = x.sub(m);
        Memory.release(m);
        Transforms.exp(y, false);
        INDArray s = y.sum(true, a);
        y.divi(s);
        Memory.release(s);
        ctx.save(y);
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
