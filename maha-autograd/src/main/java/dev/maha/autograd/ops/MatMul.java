package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Gemm;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix product over the last two axes: [..., m, k] · [..., k, n] → [..., m, n]. Leading axes
 * broadcast (NumPy rules); both operands need rank ≥ 2. All products take the {@link Gemm} path.
 */
public final class MatMul implements Op {
    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray a = in[0];
        INDArray b = in[1];
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        long m = a.size(-2);
        long k = a.size(-1);
        long n = b.size(-1);
        if (b.size(-2) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(a.shape())
                    + " · " + Shapes.str(b.shape()) + " (" + k + " vs " + b.size(-2) + ")");
        }
        long[] lead = Shapes.broadcast(name(), lead(a), lead(b));
        ctx.save(a, b);
        ctx.flops(2L * Shapes.length(lead) * m * k * n);
        INDArray ae = expand(a, lead);
        INDArray be = rightOperand(b, lead);
        INDArray out = Gemm.matmul(ae, be, false, false);
        releaseTemporary(ae, a);
        releaseTemporary(be, b);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray a = ctx.saved(0);
        INDArray b = ctx.saved(1);
        long[] lead = Arrays.copyOf(g.shape(), g.rank() - 2);
        long batch = Shapes.length(lead);
        long m = a.size(-2);
        long k = a.size(-1);
        long n = b.size(-1);
        INDArray da = null;
        INDArray db = null;
        if (ctx.needsGrad(0)) {
            ctx.flops(2L * batch * m * k * n);
            INDArray be = rightOperand(b, lead);
            INDArray full = Gemm.matmul(g, be, false, true);                       // dA = g · bᵀ
            releaseTemporary(be, b);
            da = reduceLead(full, a.shape());
            releaseTemporary(full, da);
        }
        if (ctx.needsGrad(1)) {
            ctx.flops(2L * batch * m * k * n);
            if (b.rank() == 2) {
                // Every matrix of a used the same b: one folded GEMM, aᵀ·g over all rows at once.
                INDArray ae = expand(a, lead);
                INDArray a2 = flatRows(ae, k);
                INDArray g2 = flatRows(g, n);
                db = Gemm.matmul(a2, g2, true, false);
                releaseTemporary(a2, a);
                releaseTemporary(ae, a);
                releaseTemporary(g2, g);
            } else {
                INDArray ae = expand(a, lead);
                INDArray full = Gemm.matmul(ae, g, true, false);                  // dB = aᵀ · g
                releaseTemporary(ae, a);
                db = reduceLead(full, b.shape());
                releaseTemporary(full, db);
            }
        }
        return new INDArray[] {da, db};
    }

    /** Frees {@code temp} unless it is (a view of) {@code keep}. */
    private static void releaseTemporary(INDArray temp, INDArray keep) {
        if (!Memory.sharesBuffer(temp, keep)) Memory.release(temp);
    }

    private static long[] lead(INDArray x) {
        return Arrays.copyOf(x.shape(), x.rank() - 2);
    }

    /** a broadcast to the leading shape (materialized only when its leading axes differ). */
    private static INDArray expand(INDArray x, long[] lead) {
        if (Arrays.equals(lead(x), lead)) return x;
        long[] shape = Arrays.copyOf(lead, lead.length + 2);
        shape[lead.length] = x.size(-2);
        shape[lead.length + 1] = x.size(-1);
        return Shapes.expand(x, shape);
    }

    /** A 2-D right operand stays 2-D (folded GEMM); otherwise it is broadcast like the left one. */
    private static INDArray rightOperand(INDArray b, long[] lead) {
        return b.rank() == 2 ? b : expand(b, lead);
    }

    private static INDArray flatRows(INDArray x, long cols) {
        INDArray c = x.ordering() == 'c' ? x : x.dup('c');
        return c.reshape('c', x.length() / cols, cols);
    }

    private static INDArray reduceLead(INDArray full, long[] shape) {
        if (Arrays.equals(full.shape(), shape)) return full;
        return Broadcasting.reduceTo(full, shape);
    }
}
