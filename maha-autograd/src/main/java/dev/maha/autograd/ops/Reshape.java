package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reshape: {@code [d0, ..., dk]} → {@code shape}, same elements in row-major (C) order. One entry of
 * {@code shape} may be {@code -1}: it is inferred from the element count. The gradient is reshaped back.
 *
 * <p>The result is a view of the input whenever its strides allow (a contiguous input, or a permuted
 * one where only split/merged/size-1 axes change), otherwise a C-order copy. {@code view} is the same
 * op under another name: unlike PyTorch's {@code view} it never fails on a non-contiguous input, it
 * copies instead. Moves data only: 0 FLOPs.
 */
public final class Reshape implements Op {
    private final String name;
    private final long[] shape;

    /** @param shape the new shape; at most one entry is {@code -1} */
    public Reshape(long... shape) {
        this("reshape", shape);
    }

    private Reshape(String name, long[] shape) {
        this.name = name;
        this.shape = shape.clone();
    }

    /** The same op named {@code view} (PyTorch's name; copies when a view is impossible). */
    public static Reshape view(long... shape) {
        return new Reshape("view", shape);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        long[] target = resolve(name, x.shape(), shape);
        ctx.flops(0);
        return x.reshape('c', target);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(0);
        return new INDArray[] {g.reshape('c', ctx.inputShape(0))};
    }

    /** {@code requested} with its {@code -1} inferred for an input of shape {@code from}, or an error naming the op. */
    static long[] resolve(String op, long[] from, long[] requested) {
        long length = Shapes.length(from);
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < requested.length; i++) {
            long d = requested[i];
            if (d == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException(op + ": only one -1 is allowed in " + Shapes.str(requested)
                            + " (input " + Shapes.str(from) + ")");
                }
                inferred = i;
            } else if (d < 0) {
                throw new IllegalArgumentException(op + ": negative size " + d + " in " + Shapes.str(requested)
                        + " (input " + Shapes.str(from) + ")");
            } else {
                known *= d;
            }
        }
        long[] out = requested.clone();
        if (inferred >= 0) {
            if (known == 0 || length % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(from) + " (" + length
                        + " elements) to " + Shapes.str(requested) + ": the -1 cannot be inferred");
            }
            out[inferred] = length / known;
        } else if (known != length) {
            throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(from) + " (" + length
                    + " elements) to " + Shapes.str(requested) + " (" + known + " elements)");
        }
        return out;
    }
}
