package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Constant padding of one axis: {@code [..., n, ...]} → {@code [..., before + n + after, ...]}, the new
 * positions holding {@code value}. The gradient is the slice of {@code g} at the original positions (a
 * view). Moves data only: 0 FLOPs.
 */
public final class Pad implements Op {
    private final int axis;
    private final long before;
    private final long after;
    private final double value;

    /**
     * @param axis   the padded axis (negative counts from the end)
     * @param before positions added in front, ≥ 0
     * @param after  positions added at the end, ≥ 0
     * @param value  the fill value
     */
    public Pad(int axis, long before, long after, double value) {
        this.axis = axis;
        this.before = before;
        this.after = after;
        this.value = value;
    }

    @Override
    public String name() {
        return "pad";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank());
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("pad: before " + before + " and after " + after
                    + " must be >= 0 (axis " + axis + " of " + Shapes.str(x.shape()) + ")");
        }
        long[] shape = x.shape().clone();
        shape[a] += before + after;
        INDArray out = Nd4j.valueArrayOf(shape, value, x.dataType());
        if (x.length() > 0) out.get(inner(shape.length, a, x.size(a))).assign(x);
        ctx.flops(0);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        int a = Shapes.axis(name(), axis, shape.length);
        ctx.flops(0);
        if (Shapes.length(shape) == 0) return new INDArray[] {Nd4j.create(g.dataType(), shape)};
        return new INDArray[] {g.get(inner(shape.length, a, shape[a]))};
    }

    private INDArrayIndex[] inner(int rank, int a, long n) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int d = 0; d < rank; d++) idx[d] = NDArrayIndex.all();
        idx[a] = NDArrayIndex.interval(before, before + n);
        return idx;
    }
}
