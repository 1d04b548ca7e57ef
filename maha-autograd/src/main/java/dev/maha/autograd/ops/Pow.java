package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise power with a constant exponent, {@code x^p}, any shape {@code [...] → [...]}.
 * The gradient is {@code p · x^(p−1) · g}, and exactly zero for {@code p = 0} (as in PyTorch).
 * A negative base with a non-integer exponent gives NaN, as in PyTorch. {@code pow} counts as
 * 1 FLOP per element.
 */
public final class Pow implements Op {
    private final double exponent;

    /** @param exponent the constant exponent {@code p}, finite */
    public Pow(double exponent) {
        if (!Double.isFinite(exponent)) {
            throw new IllegalArgumentException("pow: exponent must be finite, got " + exponent);
        }
        this.exponent = exponent;
    }

    @Override
    public String name() {
        return "pow";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(x.length());
        return Transforms.pow(x, exponent, true);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        if (exponent == 0) return new INDArray[] {Nd4j.zeros(g.dataType(), g.shape())};
        ctx.flops(3 * g.length());
        INDArray d = Transforms.pow(ctx.saved(0), exponent - 1, true);
        d.muli(exponent).muli(g);
        return new INDArray[] {d};
    }
}
