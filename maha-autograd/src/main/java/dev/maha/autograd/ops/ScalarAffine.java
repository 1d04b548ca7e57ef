package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arithmetic with a constant scalar {@code c}, any shape {@code [...] → [...]}, without allocating a
 * broadcast tensor for {@code c}: {@code x + c}, {@code x − c}, {@code x · c}, {@code x / c} and
 * {@code c − x}. The gradient is {@code g}, {@code g}, {@code g · c}, {@code g / c} and {@code −g}.
 * The input must be floating point (an integer tensor would silently truncate {@code x · 0.5}).
 */
public final class ScalarAffine implements Op {
    private enum Kind {
        ADD("add_scalar"), SUB("sub_scalar"), MUL("mul_scalar"), DIV("div_scalar"), RSUB("rsub_scalar");

        final String opName;

        Kind(String opName) {
            this.opName = opName;
        }
    }

    private final Kind kind;
    private final double c;

    private ScalarAffine(Kind kind, double c) {
        this.kind = kind;
        this.c = c;
    }

    /** {@code x + c}. */
    public static ScalarAffine add(double c) {
        return new ScalarAffine(Kind.ADD, c);
    }

    /** {@code x − c}. */
    public static ScalarAffine sub(double c) {
        return new ScalarAffine(Kind.SUB, c);
    }

    /** {@code x · c}. */
    public static ScalarAffine mul(double c) {
        return new ScalarAffine(Kind.MUL, c);
    }

    /** {@code x / c} (IEEE division: {@code c = 0} gives ±inf or NaN). */
    public static ScalarAffine div(double c) {
        return new ScalarAffine(Kind.DIV, c);
    }

    /** {@code c − x}. */
    public static ScalarAffine rsub(double c) {
        return new ScalarAffine(Kind.RSUB, c);
    }

    @Override
    public String name() {
        return kind.opName;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.flops(x.length());
        switch (kind) {
            case ADD: return x.add(c);
            case SUB: return x.sub(c);
            case MUL: return x.mul(c);
            case DIV: return x.div(c);
            default: return x.rsub(c);
        }
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        switch (kind) {
            case ADD:
            case SUB:
                return new INDArray[] {g};   // the engine copies a gradient that aliases g
            case MUL:
                ctx.flops(g.length());
                return new INDArray[] {g.mul(c)};
            case DIV:
                ctx.flops(g.length());
                return new INDArray[] {g.div(c)};
            default:
                ctx.flops(g.length());
                return new INDArray[] {g.neg()};
        }
    }
}
