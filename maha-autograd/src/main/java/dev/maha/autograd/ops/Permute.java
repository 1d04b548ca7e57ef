package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reorders the axes with PyTorch's rule {@code out.shape[i] = in.shape[perm[i]]}, for example
 * {@code [2,3,4,5]} with {@code perm = [2,0,3,1]} → {@code [4,2,5,3]}. Negative entries count from the end.
 * The result is a view (no copy); the gradient is {@code g} permuted by the inverse permutation.
 * Moves no data: 0 FLOPs.
 */
public final class Permute implements Op {
    private final int[] perm;

    /** @param perm a permutation of the input's axes */
    public Permute(int... perm) {
        this.perm = perm.clone();
    }

    @Override
    public String name() {
        return "permute";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int[] p = normalized(x.shape());
        ctx.flops(0);
        return x.permute(p);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        int[] p = normalized(ctx.inputShape(0));
        int[] inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) inverse[p[i]] = i;
        ctx.flops(0);
        return new INDArray[] {g.permute(inverse)};
    }

    private int[] normalized(long[] shape) {
        int rank = shape.length;
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: perm " + Arrays.toString(perm) + " has " + perm.length
                    + " entries but the input " + Shapes.str(shape) + " has rank " + rank);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (a < 0 || a >= rank || seen[a]) {
                throw new IllegalArgumentException("permute: perm " + Arrays.toString(perm)
                        + " is not a permutation of the axes of " + Shapes.str(shape)
                        + (a >= 0 && a < rank ? " (axis " + perm[i] + " repeats)" : " (axis " + perm[i] + " is out of range)"));
            }
            seen[a] = true;
            p[i] = a;
        }
        return p;
    }
}
