package dev.maha.core.maha;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The causal upsampling of spec §3 as one op: along {@code axis}, {@code out[i] = o[⌊(i+1)/R⌋ − 1]},
 * and 0 where that index is negative (i < R − 1). Shapes: o {@code [..., n_l, ...]} → {@code [..., n, ...]},
 * with {@code n_l = ⌊n/R⌋ ≥ 1}.
 *
 * <p>Forward copies whole rows (the elements after the axis are contiguous in a row-major array);
 * backward sums, for each coarse row j, the R output rows that read it: {@code i ∈ [(j+1)R − 1, (j+2)R − 1) ∩ [0, n)}.
 * The output is a fresh dense array, which the aggregation kernels then read without a copy (a padded,
 * repeated and sliced composition gave a view they had to copy several times, measured at n = 4096).
 * FLOPs: 0 forward, one addition per gradient element backward.
 */
final class CausalUpsample implements Op {
    private final int axis;
    private final long n;
    private final long big;

    /** @param axis the length axis (non-negative)  @param n the target length  @param big R = r^l, 1 ≤ R ≤ n */
    CausalUpsample(int axis, long n, long big) {
        this.axis = axis;
        this.n = n;
        this.big = big;
    }

    @Override
    public String name() {
        return "causal_upsample";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray o = in[0];
        long nl = o.size(axis);
        if (nl != n / big || nl < 1) {
            throw new IllegalArgumentException("causal_upsample: axis " + axis + " of " + Shapes.str(o.shape()) + " must have length "
                    + "floor(n/R) = " + (n / big) + " >= 1 for n = " + n + ", R = " + big);
        }
        long[] outShape = o.shape().clone();
        outShape[axis] = n;
        Layout lay = new Layout(o.shape(), axis);
        DenseBuffer src = DenseBuffer.read(o);
        DenseBuffer dst = DenseBuffer.create(o.dataType(), false, outShape);
        int inner = lay.inner;
        Parallel.forChunks(lay.outer, 1, (chunk, g0, g1) -> {
            double[] row = new double[inner];
            double[] zero = new double[inner];
            for (int g = g0; g < g1; g++) {
                for (long i = 0; i < n; i++) {
                    long j = (i + 1) / big - 1;
                    int to = (int) ((g * n + i) * inner);
                    if (j < 0) {
                        dst.write(to, zero, 0, inner);
                    } else {
                        if (i == 0 || (i + 1) % big == 0) src.read((int) ((g * nl + j) * inner), row, 0, inner);
                        dst.write(to, row, 0, inner);
                    }
                }
            }
        });
        src.release();
        ctx.flops(0);
        return dst.array();
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray grad) {
        long[] inShape = ctx.inputShape(0);
        long nl = inShape[axis];
        Layout lay = new Layout(inShape, axis);
        DenseBuffer g = DenseBuffer.read(grad);
        DenseBuffer dx = DenseBuffer.create(grad.dataType(), false, inShape);
        int inner = lay.inner;
        Parallel.forChunks(lay.outer, 1, (chunk, g0, g1) -> {
            double[] row = new double[inner];
            double[] acc = new double[inner];
            for (int b = g0; b < g1; b++) {
                for (long j = 0; j < nl; j++) {
                    java.util.Arrays.fill(acc, 0.0);
                    long first = (j + 1) * big - 1;
                    long last = Math.min(n, (j + 2) * big - 1);
                    for (long i = first; i < last; i++) {
                        g.read((int) ((b * n + i) * inner), row, 0, inner);
                        for (int k = 0; k < inner; k++) acc[k] += row[k];
                    }
                    dx.write((int) ((b * nl + j) * inner), acc, 0, inner);
                }
            }
        });
        g.release();
        ctx.flops(grad.length());
        return new INDArray[] {dx.array()};
    }

    /** A row-major shape seen as [outer, length, inner] around the axis. */
    private static final class Layout {
        final int outer;
        final int inner;

        Layout(long[] shape, int axis) {
            long o = 1;
            long in = 1;
            for (int i = 0; i < axis; i++) o *= shape[i];
            for (int i = axis + 1; i < shape.length; i++) in *= shape[i];
            this.outer = Math.toIntExact(o);
            this.inner = Math.toIntExact(in);
        }
    }
}
