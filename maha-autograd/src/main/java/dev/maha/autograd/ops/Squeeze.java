package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Removes one axis of size 1: {@code [..., 1, ...]} → rank {@code r − 1}. As in PyTorch's
 * {@code squeeze(dim)}, an axis whose size is not 1 leaves the tensor unchanged. A view; the gradient is
 * reshaped back. Moves no data: 0 FLOPs.
 */
public final class Squeeze implements Op {
    private final int axis;

    /** @param axis the axis to remove (negative counts from the end) */
    public Squeeze(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "squeeze";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank());
        ctx.flops(0);
        if (x.size(a) != 1) return x;
        long[] shape = x.shape();
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) out[j++] = shape[i];
        return x.reshape('c', out);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(0);
        long[] shape = ctx.inputShape(0);
        return new INDArray[] {g.rank() == shape.length ? g : g.reshape('c', shape)};
    }
}
