package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embedding lookup: table [V, d], indices [...] (int32 or int64, never differentiable) → [..., d],
 * {@code out[i..., :] = table[indices[i...], :]}. Forward is one ND4J {@code Gather}; backward
 * scatter-adds the gradient rows into a zero [V, d] array with one {@code scatter_add} (repeated
 * indices accumulate, unused rows get 0). An index outside [0, V) is an error naming it and V.
 */
public final class Embedding implements Op {
    @Override
    public String name() {
        return "embedding";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray table = in[0];
        INDArray idx = in[1];
        Shapes.requireFloating(name(), "table", table);
        Shapes.requireInteger(name(), "indices", idx);
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: table must be [V, d] (rank 2), got shape " + Shapes.str(table.shape()));
        }
        long v = table.size(0);
        long d = table.size(1);
        long n = idx.length();
        if (n == 0) {
            throw new IllegalArgumentException("embedding: indices " + Shapes.str(idx.shape()) + " are empty");
        }
        long min = idx.minNumber().longValue();
        long max = idx.maxNumber().longValue();
        if (min < 0 || max >= v) {
            long bad = min < 0 ? min : max;
            throw new IllegalArgumentException("embedding: index " + bad + " is out of range [0, " + v + ") for a table of V = "
                    + v + " rows " + Shapes.str(table.shape()) + " (indices shape " + Shapes.str(idx.shape()) + ")");
        }
        INDArray flat = idx.reshape('c', new long[] {n});
        INDArray rows = Nd4j.exec(new Gather(table, flat, 0))[0];            // [n, d]
        long[] outShape = Arrays.copyOf(idx.shape(), idx.rank() + 1);
        outShape[idx.rank()] = d;
        INDArray out = rows.reshape('c', outShape);
        ctx.flops(0);                                                         // a copy: no arithmetic
        if (ctx.needsGrad(0)) {
            ctx.save(flat);
        } else if (!Memory.sharesBuffer(flat, idx)) {
            Memory.release(flat);
        }
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] tableShape = ctx.inputShape(0);
        INDArray flat = ctx.saved(0);
        long n = flat.length();
        INDArray updates = g.reshape('c', n, tableShape[1]);
        INDArray dt = Nd4j.zeros(g.dataType(), tableShape);
        Scatter.addRows(dt, flat, updates);
        if (!Memory.sharesBuffer(updates, g)) Memory.release(updates);
        ctx.flops(g.length());
        return new INDArray[] {dt, null};
    }
}
