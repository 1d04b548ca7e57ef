package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inserts an axis of size 1: {@code [d0, ..., dr-1]} → rank {@code r + 1} with the new axis at
 * {@code axis} (in {@code [-(r+1), r]}, negative counts from the end of the result, as in PyTorch).
 * A view when the strides allow (always for contiguous and permuted inputs); the gradient is reshaped
 * back. Moves no data: 0 FLOPs.
 */
public final class Unsqueeze implements Op {
    private final int axis;

    /** @param axis position of the new axis in the result */
    public Unsqueeze(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "unsqueeze";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank() + 1);
        ctx.flops(0);
        return x.reshape('c', insert(x.shape(), a));
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(0);
        return new INDArray[] {g.reshape('c', ctx.inputShape(0))};
    }

    /** {@code shape} with a 1 inserted at position {@code a}. */
    static long[] insert(long[] shape, int a) {
        long[] out = new long[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == a ? 1 : shape[j++];
        return out;
    }
}
