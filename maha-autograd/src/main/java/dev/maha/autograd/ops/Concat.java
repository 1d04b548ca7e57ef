package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Joins tensors along an existing axis: parts {@code [..., n_i, ...]} (equal on every other axis, one
 * data type) → {@code [..., Σ n_i, ...]}. The gradient of each part is its range of {@code g} (a view).
 * Moves data only: 0 FLOPs.
 */
public final class Concat implements Op {
    private final int axis;

    /** @param axis the joining axis (negative counts from the end) */
    public Concat(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "concat";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        if (in.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        INDArray first = in[0];
        int a = Shapes.axis(name(), axis, first.rank());
        long[] out = first.shape().clone();
        out[a] = 0;
        List<INDArray> nonEmpty = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            INDArray p = in[i];
            if (p.dataType() != first.dataType()) {
                throw new IllegalArgumentException("concat: part " + i + " is " + p.dataType() + " " + Shapes.str(p.shape())
                        + " but part 0 is " + first.dataType() + " " + Shapes.str(first.shape()));
            }
            boolean same = p.rank() == first.rank();
            for (int d = 0; same && d < p.rank(); d++) same = d == a || p.size(d) == first.size(d);
            if (!same) {
                throw new IllegalArgumentException("concat: part " + i + " has shape " + Shapes.str(p.shape())
                        + " but part 0 has " + Shapes.str(first.shape()) + "; they may differ only on axis " + axis);
            }
            out[a] += p.size(a);
            if (p.size(a) > 0) nonEmpty.add(p);
        }
        ctx.flops(0);
        if (nonEmpty.isEmpty()) return Nd4j.create(first.dataType(), out);
        if (nonEmpty.size() == 1) return nonEmpty.get(0).dup('c');
        return Nd4j.concat(a, nonEmpty.toArray(new INDArray[0]));
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        int parts = ctx.inputCount();
        int a = Shapes.axis(name(), axis, g.rank());
        INDArray[] grads = new INDArray[parts];
        long offset = 0;
        ctx.flops(0);
        for (int i = 0; i < parts; i++) {
            long[] shape = ctx.inputShape(i);
            long len = shape[a];
            if (ctx.needsGrad(i)) {
                if (len == 0) {
                    grads[i] = Nd4j.create(g.dataType(), shape);
                } else if (len == g.size(a)) {
                    grads[i] = g;
                } else {
                    INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
                    for (int d = 0; d < idx.length; d++) idx[d] = NDArrayIndex.all();
                    idx[a] = NDArrayIndex.interval(offset, offset + len);
                    grads[i] = g.get(idx);
                }
            }
            offset += len;
        }
        return grads;
    }
}
