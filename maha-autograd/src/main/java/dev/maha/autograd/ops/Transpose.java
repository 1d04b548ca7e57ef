package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Swaps two axes: {@code [..., da, ..., db, ...]} → {@code [..., db, ..., da, ...]}. The result is a view
 * of the input (no copy); the gradient is the same swap of {@code g}. Negative axes count from the
 * end. Moves no data: 0 FLOPs.
 */
public final class Transpose implements Op {
    private final int a;
    private final int b;

    /** @param a first axis  @param b second axis */
    public Transpose(int a, int b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public String name() {
        return "transpose";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int[] perm = swap(x.rank());
        ctx.flops(0);
        return x.permute(perm);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        ctx.flops(0);
        return new INDArray[] {g.permute(swap(g.rank()))};
    }

    private int[] swap(int rank) {
        int i = Shapes.axis(name(), a, rank);
        int j = Shapes.axis(name(), b, rank);
        int[] perm = new int[rank];
        for (int k = 0; k < rank; k++) perm[k] = k;
        perm[i] = j;
        perm[j] = i;
        return perm;
    }
}
