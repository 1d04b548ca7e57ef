package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erfc;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise GELU in its exact erf form, {@code x · Φ(x) = 0.5 · x · (1 + erf(x / √2))}, any shape
 * {@code [...] → [...]} (not the tanh approximation). The gradient is {@code g · (Φ(x) + x · φ(x))}
 * with {@code φ(x) = exp(−x²/2) / √(2π)}.
 *
 * <p>{@code Φ(x)} is computed as {@code 0.5 · erfc(−x / √2)}, equal to {@code 0.5 · (1 + erf(x/√2))}
 * but without the cancellation for large negative {@code x}. ND4J's erf/erfc agree with the C
 * library to the last bit in float64. erfc and exp count as 1 FLOP per element.
 */
public final class Gelu implements Op {
    private static final double INV_SQRT2 = 0.7071067811865476;      // 1/√2
    private static final double INV_SQRT_2PI = 0.3989422804014327;   // 1/√(2π)

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(4 * x.length());
        return cdf(x).muli(x);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray x = ctx.saved(0);
        ctx.flops(10 * g.length());
        INDArray d = cdf(x);
        INDArray pdfTimesX = x.mul(x);
        pdfTimesX.muli(-0.5);
        Transforms.exp(pdfTimesX, false);
        pdfTimesX.muli(INV_SQRT_2PI).muli(x);
        d.addi(pdfTimesX).muli(g);
        Memory.release(pdfTimesX);
        return new INDArray[] {d};
    }

    /** Φ(x) = 0.5 · erfc(−x/√2), a fresh array. */
    private static INDArray cdf(INDArray x) {
        INDArray t = x.mul(-INV_SQRT2);
        Nd4j.exec(new Erfc(t, t));
        return t.muli(0.5);
    }
}
