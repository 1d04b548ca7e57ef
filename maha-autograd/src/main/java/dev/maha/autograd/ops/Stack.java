package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Joins {@code k} tensors of one shape {@code [d0, ..., dr-1]} along a new axis: the result has rank
 * {@code r + 1} with size {@code k} at {@code axis} (in {@code [-(r+1), r]}). The gradient of part
 * {@code i} is position {@code i} of that axis of {@code g}. Moves data only: 0 FLOPs.
 */
public final class Stack implements Op {
    private final int axis;

    /** @param axis position of the new axis in the result (negative counts from the end) */
    public Stack(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "stack";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        if (in.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor");
        INDArray first = in[0];
        int a = Shapes.axis(name(), axis, first.rank() + 1);
        for (int i = 1; i < in.length; i++) {
            if (!Arrays.equals(in[i].shape(), first.shape()) || in[i].dataType() != first.dataType()) {
                throw new IllegalArgumentException("stack: part " + i + " is " + in[i].dataType() + " " + Shapes.str(in[i].shape())
                        + " but part 0 is " + first.dataType() + " " + Shapes.str(first.shape()) + "; all parts must be equal");
            }
        }
        long[] lifted = Unsqueeze.insert(first.shape(), a);
        ctx.flops(0);
        if (first.length() == 0) {
            long[] out = lifted.clone();
            out[a] = in.length;
            return Nd4j.create(first.dataType(), out);
        }
        if (in.length == 1) return first.reshape('c', lifted).dup('c');
        INDArray[] parts = new INDArray[in.length];
        for (int i = 0; i < in.length; i++) parts[i] = in[i].reshape('c', lifted);
        INDArray out = Nd4j.concat(a, parts);
        for (int i = 0; i < in.length; i++) if (!Memory.sharesBuffer(parts[i], in[i])) Memory.release(parts[i]);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        int parts = ctx.inputCount();
        long[] shape = ctx.inputShape(0);
        int a = Shapes.axis(name(), axis, shape.length + 1);
        INDArray[] grads = new INDArray[parts];
        ctx.flops(0);
        for (int i = 0; i < parts; i++) {
            if (!ctx.needsGrad(i)) continue;
            if (g.length() == 0) {
                grads[i] = Nd4j.create(g.dataType(), shape);
                continue;
            }
            INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
            for (int d = 0; d < idx.length; d++) idx[d] = NDArrayIndex.all();
            idx[a] = NDArrayIndex.interval(i, i + 1);
            grads[i] = g.get(idx).reshape('c', shape);
        }
        return grads;
    }
}
