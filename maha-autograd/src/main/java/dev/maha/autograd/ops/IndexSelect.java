package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selects positions of one axis by index: x {@code [..., n, ...]}, indices {@code [k]} (int64 or int32,
 * each in {@code [0, n)}, repeats allowed) → {@code [..., k, ...]} with
 * {@code out[..., j, ...] = x[..., indices[j], ...]}.
 *
 * <p>Forward is one ND4J {@code gather}; the gradient scatter-adds {@code g} back (repeated indices
 * accumulate) with one ND4J {@code scatter_add} after moving the axis to the front. The indices get
 * no gradient. Forward moves data (0 FLOPs); backward counts one addition per element of {@code g}.
 */
public final class IndexSelect implements Op {
    private final int axis;

    /** @param axis the axis to index (negative counts from the end) */
    public IndexSelect(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "index_select";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray idx = in[1];
        int a = Shapes.axis(name(), axis, x.rank());
        Shapes.requireInteger(name(), "indices", idx);
        if (idx.rank() != 1) {
            throw new IllegalArgumentException("index_select: indices must have rank 1, got shape " + Shapes.str(idx.shape())
                    + " (input " + Shapes.str(x.shape()) + ")");
        }
        checkBounds(name(), idx, x.size(a), a, x.shape());
        ctx.save(idx);
        ctx.flops(0);
        return gather(x, a, idx);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        if (!ctx.needsGrad(0)) return new INDArray[] {null, null};
        long[] shape = ctx.inputShape(0);
        ctx.flops(g.length());
        return new INDArray[] {scatterAdd(g, Shapes.axis(name(), axis, shape.length), ctx.saved(0), shape), null};
    }

    /** {@code x} indexed along axis {@code a} by the (valid, rank-1) {@code idx}: one ND4J gather. */
    static INDArray gather(INDArray x, int a, INDArray idx) {
        if (idx.length() == 0) {
            long[] out = x.shape().clone();
            out[a] = 0;
            return Nd4j.create(x.dataType(), out);
        }
        return Nd4j.exec(new Gather(x, idx, a))[0];
    }

    /**
     * The transpose of {@link #gather}: a zero array of {@code shape} into which each slice {@code j} of
     * {@code g} along axis {@code a} is added at position {@code idx[j]}. One ND4J {@code scatter_add}
     * on the axis moved to the front; returns a new array (a permuted view of it when {@code a > 0}).
     */
    static INDArray scatterAdd(INDArray g, int a, INDArray idx, long[] shape) {
        int rank = shape.length;
        int[] front = new int[rank];
        int[] back = new int[rank];
        front[0] = a;
        for (int i = 0, k = 1; i < rank; i++) if (i != a) front[k++] = i;
        for (int i = 0; i < rank; i++) back[front[i]] = i;
        long[] frontShape = new long[rank];
        for (int i = 0; i < rank; i++) frontShape[i] = shape[front[i]];
        INDArray ref = Nd4j.zeros(g.dataType(), frontShape);
        if (idx.length() > 0) {
            INDArray updates = a == 0 ? g : g.permute(front);
            Scatter.addRows(ref, idx, updates);
        }
        return a == 0 ? ref : ref.permute(back);
    }

    /** Every index in {@code [0, n)}, or an error naming the op, the first bad index and the shapes. */
    static void checkBounds(String op, INDArray idx, long n, int a, long[] shape) {
        if (idx.length() == 0) return;
        INDArray asLong = idx.dataType() == DataType.LONG ? idx : idx.castTo(DataType.LONG);
        long[] v = asLong.toLongVector();
        if (asLong != idx) Memory.release(asLong);
        for (int j = 0; j < v.length; j++) {
            if (v[j] < 0 || v[j] >= n) {
                throw new IllegalArgumentException(op + ": index " + v[j] + " at position " + j + " is out of range for axis "
                        + a + " (size " + n + ") of " + Shapes.str(shape));
            }
        }
    }
}
