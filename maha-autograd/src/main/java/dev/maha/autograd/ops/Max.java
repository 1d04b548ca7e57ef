package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Maximum over one axis: {@code [3,4,5]} over axis 1 → {@code [3,5]} ({@code [3,1,5]} with
 * {@code keepDims}). The gradient goes only to the arg-max of each reduced line, and on ties to the
 * first maximal position (as PyTorch's {@code max(dim)}, which returns one index). The op saves the
 * int64 arg-max indices, not a mask, and builds the one-hot routing in backward. FLOPs: one
 * comparison per input element forward, one multiply per input element backward.
 */
public final class Max implements Op {
    private final int axis;
    private final boolean keepDims;

    /** @param axis the reduced axis (negative counts from the end)  @param keepDims keep it with size 1 */
    public Max(int axis, boolean keepDims) {
        this.axis = axis;
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return "max";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int a = Shapes.axis(name(), axis, x.rank());
        if (x.size(a) == 0) {
            throw new IllegalArgumentException("max: axis " + axis + " of " + Shapes.str(x.shape()) + " is empty");
        }
        long[] reduced = new long[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) if (i != a) reduced[j++] = x.size(i);
        INDArray argMax = Nd4j.argMax(x, a);
        ctx.save(argMax.rank() == reduced.length ? argMax : argMax.reshape(reduced));
        ctx.flops(x.length());
        return x.max(keepDims, a);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        int a = Shapes.axis(name(), axis, shape.length);
        long[] kept = shape.clone();
        kept[a] = 1;
        ctx.flops(Shapes.length(shape));
        INDArray route = Nd4j.exec(new OneHot(ctx.saved(0), (int) shape[a], a, 1.0, 0.0, g.dataType()))[0];
        INDArray gk = g.reshape(kept);
        route.muli(gk);
        if (!Memory.sharesBuffer(gk, g)) Memory.release(gk);
        return new INDArray[] {route};
    }
}
