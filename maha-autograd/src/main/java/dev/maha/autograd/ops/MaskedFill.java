package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x} with every element where the mask holds replaced by a constant: {@code x [...]},
 * {@code mask} broadcastable to {@code x}'s shape → {@code [...]} (x's shape). The mask is BOOL, or
 * numeric with nonzero meaning true; it never receives a gradient. The gradient of {@code x} is
 * {@code g} where the mask is false and exactly 0 where it is true. The value may be ±inf (attention
 * masks); the replacement is an exact selection, so an inf or NaN in a masked element of {@code x}
 * does not leak.
 */
public final class MaskedFill implements Op {
    private final double value;

    /** @param value the constant written where the mask is true */
    public MaskedFill(double value) {
        this.value = value;
    }

    @Override
    public String name() {
        return "masked_fill";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray mask = in[1];
        long[] shape = x.shape();
        long[] joint = Shapes.broadcast(name(), shape, mask.shape());
        if (!Arrays.equals(joint, shape)) {
            throw new IllegalArgumentException("masked_fill: mask " + Shapes.str(mask.shape())
                    + " is not broadcastable to x " + Shapes.str(shape) + " (it would give " + Shapes.str(joint) + ")");
        }
        ctx.flops(x.length());
        INDArray m = Where.expandedMask(mask, shape);
        INDArray fill = Nd4j.valueArrayOf(shape, value, x.dataType());
        INDArray out = Where.select(m, fill, x);
        Memory.release(fill);
        if (ctx.needsGrad(0)) ctx.save(m);
        else if (!Memory.sharesBuffer(m, mask)) Memory.release(m);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(g.length());
        INDArray zeros = Nd4j.zeros(g.dataType(), g.shape());
        INDArray d = Where.select(ctx.saved(0), zeros, g);
        Memory.release(zeros);
        return new INDArray[] {d, null};
    }
}
