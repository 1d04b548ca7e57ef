package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Log-softmax along one axis, same shape in and out: {@code y = (x − m) − log Σ exp(x − m)} with
 * {@code m} the line maximum (numerically stable; {@code −∞} entries give {@code −∞} with a finite
 * gradient). Saves the output, not the input; the gradient is {@code g − softmax · Σ g} with
 * {@code softmax = exp(y)}. Built from ND4J vector ops: the libnd4j {@code log_softmax} kernel of
 * 1.0.0-M2.1 ignores its axis (wrong on any axis but the last). FLOPs (exp and log counted as 1):
 * 5 per element forward, 4 backward.
 */
public final class LogSoftmax implements Op {
    private final int axis;

    /** @param axis the normalized axis (negative counts from the end) */
    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "log_softmax";
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
        INDArray z = x.sub(m);
        Memory.release(m);
        INDArray e = Transforms.exp(z, true);
        INDArray lse = e.sum(true, a);
        Memory.release(e);
        Transforms.log(lse, false);
        z.subi(lse);
        Memory.release(lse);
        ctx.save(z);
        return z;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray y = ctx.saved(0);
        int a = Shapes.axis(name(), axis, y.rank());
        ctx.flops(4 * y.length());
        INDArray sm = Transforms.exp(y, true);
        INDArray s = g.sum(true, a);
        sm.muli(s);
        Memory.release(s);
        INDArray dx = g.sub(sm);
        Memory.release(sm);
        return new INDArray[] {dx};
    }
}
