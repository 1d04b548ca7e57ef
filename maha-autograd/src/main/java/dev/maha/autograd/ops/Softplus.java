package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise {@code softplus(x) = log(1 + exp(x))}, any shape {@code [...] → [...]}, computed stably
 * as {@code max(x, 0) + log1p(exp(−|x|))} (no overflow for large {@code x}, no loss for very negative
 * {@code x}; unlike PyTorch there is no linear cut-off above 20). The gradient is {@code g · sigmoid(x)}.
 * exp, atanh and sigmoid count as 1 FLOP per element.
 */
public final class Softplus implements Op {
    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(name(), "x", x);
        ctx.save(x);
        ctx.flops(8 * x.length());
        // tail = log1p(u) with u = exp(−|x|) ∈ (0, 1], as 2·atanh(u / (2 + u)): ND4J's log1p is
        // log(1 + u), which loses everything below 1e-16 (softplus(−50) would be 0, not e^−50).
        INDArray u = Transforms.abs(x, true);
        u.negi();
        Transforms.exp(u, false);
        INDArray twoPlusU = u.add(2);
        u.divi(twoPlusU);
        Memory.release(twoPlusU);
        Transforms.atanh(u, false);
        u.muli(2);
        INDArray y = Transforms.relu(x, true);
        y.addi(u);
        Memory.release(u);
        return y;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(2 * g.length());
        INDArray d = Transforms.sigmoid(ctx.saved(0), true);
        d.muli(g);
        return new INDArray[] {d};
    }
}
