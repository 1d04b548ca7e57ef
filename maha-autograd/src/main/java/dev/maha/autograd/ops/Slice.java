package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A strided range of one axis: {@code [..., n, ...]} → {@code [..., m, ...]} with the elements
 * {@code start, start+step, ...} below {@code end}.
 *
 * <p>{@code slice} follows Python: a negative {@code start}/{@code end} counts from the end, both are then
 * clamped to {@code [0, n]} (so {@code Long.MAX_VALUE} means "to the end"), an empty range gives size 0;
 * {@code step} must be positive. {@code narrow} (PyTorch's) takes {@code start} (negative counts from
 * the end) and {@code length}, and rejects a range that leaves the axis instead of clamping.
 *
 * <p>The result is a view of the input; the gradient is zero except on the selected positions, where
 * it is {@code g}. Moves data only: 0 FLOPs.
 */
public final class Slice implements Op {
    private final String name;
    private final int axis;
    private final long start;
    private final long endOrLength;
    private final long step;

    /** Elements {@code start, start+1, ...} below {@code end} of {@code axis} (Python rules). */
    public Slice(int axis, long start, long end) {
        this(axis, start, end, 1);
    }

    /** Elements {@code start, start+step, ...} below {@code end} of {@code axis} (Python rules, step > 0). */
    public Slice(int axis, long start, long end, long step) {
        this("slice", axis, start, end, step);
    }

    private Slice(String name, int axis, long start, long endOrLength, long step) {
        this.name = name;
        this.axis = axis;
        this.start = start;
        this.endOrLength = endOrLength;
        this.step = step;
    }

    /** PyTorch's {@code narrow}: {@code length} elements from {@code start}, which must fit in the axis. */
    public static Slice narrow(int axis, long start, long length) {
        return new Slice("narrow", axis, start, length, 1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        long[] shape = x.shape();
        int a = Shapes.axis(name, axis, x.rank());
        long[] range = range(shape, a);
        ctx.put("range", range);
        ctx.flops(0);
        if (range[1] == 0) {
            long[] out = shape.clone();
            out[a] = 0;
            return Nd4j.create(x.dataType(), out);
        }
        return x.get(indices(x.rank(), a, range));
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        int a = Shapes.axis(name, axis, shape.length);
        long[] range = ctx.get("range");
        ctx.flops(0);
        if (range[1] == shape[a] && range[2] == 1) return new INDArray[] {g};   // the whole axis
        INDArray dx = Nd4j.zeros(g.dataType(), shape);
        if (range[1] > 0) dx.get(indices(shape.length, a, range)).assign(g);
        return new INDArray[] {dx};
    }

    /** {@code [first, count, step]} of the selected elements of axis {@code a}. */
    private long[] range(long[] shape, int a) {
        long n = shape[a];
        if (name.equals("narrow")) {
            long s = start < 0 ? start + n : start;
            if (s < 0 || s > n || endOrLength < 0 || endOrLength > n - s) {
                throw new IllegalArgumentException("narrow: start " + start + " and length " + endOrLength
                        + " do not fit in axis " + axis + " (size " + n + ") of " + Shapes.str(shape));
            }
            return new long[] {s, endOrLength, 1};
        }
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step + " for axis " + axis
                    + " of " + Shapes.str(shape));
        }
        long s = clamp(start, n);
        long e = clamp(endOrLength, n);
        long count = e > s ? (e - s + step - 1) / step : 0;
        return new long[] {s, count, step};
    }

    private static long clamp(long i, long n) {
        long v = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, v));
    }

    private static INDArrayIndex[] indices(int rank, int a, long[] range) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) idx[i] = NDArrayIndex.all();
        idx[a] = Windows1d.strided(range[0], range[2], range[1]);
        return idx;
    }
}
