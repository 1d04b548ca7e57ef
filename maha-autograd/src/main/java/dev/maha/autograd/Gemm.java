package dev.maha.autograd;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place where matrix products are computed. Batched operands whose right side is a single
 * matrix fold into one large product; every product then runs through {@link SplitProduct}, which
 * cuts it across the cores and calls BLAS (single-threaded) on each part, reading strided operands in
 * place. {@code INDArray.mmul} on row-major arrays is 2-4x slower, so it is never used.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * {@code op(a) · op(b)} over the last two axes, where {@code op} transposes those axes when asked.
     * Leading axes must be equal, or {@code b} must be 2-D (then it multiplies every matrix of
     * {@code a}).
     *
     * @param a [..., m, k] ([..., k, m] when {@code transA})
     * @param b [..., k, n] ([..., n, k] when {@code transB}), or 2-D
     * @return a new row-major array [..., m, n]
     */
    public static INDArray matmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        int ra = a.rank();
        int rb = b.rank();
        if (ra == 2 && rb == 2) {
            long m = transA ? a.size(1) : a.size(0);
            long n = transB ? b.size(0) : b.size(1);
            INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {m, n}, 'c');
            SplitProduct.run(a, b, c, transA, transB, 1.0, 0.0);
            return c;
        }
        long[] lead = Arrays.copyOf(a.shape(), ra - 2);
        long batch = Shapes.length(lead);
        if (rb == 2 && !transA) {
            // Fold the batch into the rows: one large GEMM instead of many small ones.
            INDArray ac = Memory.rowMajor(a);
            INDArray a2 = ac.reshape('c', batch * a.size(ra - 2), a.size(ra - 1));
            INDArray c2 = matmul(a2, b, false, transB);
            if (ac != a) Memory.release(ac);
            long[] outShape = Arrays.copyOf(lead, ra);
            outShape[ra - 2] = a.size(ra - 2);
            outShape[ra - 1] = c2.size(1);
            return c2.reshape('c', outShape);
        }
        INDArray ac = Memory.rowMajor(a);
        INDArray bc = rb == 2 ? Shapes.expand(b, new long[] {batch, b.size(0), b.size(1)}) : Memory.rowMajor(b);
        INDArray a3 = ac.reshape('c', batch, a.size(ra - 2), a.size(ra - 1));
        INDArray b3 = bc.reshape('c', batch, b.size(rb - 2), b.size(rb - 1));
        long m = transA ? a3.size(2) : a3.size(1);
        long n = transB ? b3.size(1) : b3.size(2);
        INDArray c3 = Nd4j.createUninitialized(a.dataType(), new long[] {batch, m, n}, 'c');
        SplitProduct.run(a3, b3, c3, transA, transB, 1.0, 0.0);
        if (ac != a) Memory.release(ac);
        if (bc != b) Memory.release(bc);
        long[] outShape = Arrays.copyOf(lead, ra);
        outShape[ra - 2] = m;
        outShape[ra - 1] = n;
        return c3.reshape('c', outShape);
    }

    /**
     * {@code alpha · op(a) · op(b)} over the last two axes of two operands of equal rank, read in place:
     * either may be a strided view, even one whose matrices overlap in memory (the key windows of
     * blockwise attention), as long as each matrix has a unit stride along one of its two axes. This
     * saves the copy {@link #matmul} would make of a non-row-major operand, and the pass that would
     * apply {@code alpha} afterwards.
     *
     * @param a [..., m, k] ([..., k, m] when {@code transA}), any strides
     * @param b [..., k, n] ([..., n, k] when {@code transB}), any strides, same leading axes as {@code a}
     * @return a new row-major array [..., m, n]
     */
    public static INDArray stridedBatched(INDArray a, INDArray b, boolean transA, boolean transB, double alpha) {
        long[] shape = productShape("Gemm.stridedBatched", a, b, transA, transB);
        INDArray c = Nd4j.createUninitialized(a.dataType(), shape, 'c');
        SplitProduct.run(a, b, c, transA, transB, alpha, 0.0);          // an empty sum gives zeros
        return c;
    }

    /**
     * {@code c ← alpha · op(a) · op(b) + beta · c} in place, where all three may be strided views (see
     * {@link #stridedBatched}); the matrices of {@code c} must not overlap each other. Blockwise attention
     * accumulates its key gradients this way, straight into the key rows.
     *
     * @param a [..., m, k] ([..., k, m] when {@code transA})
     * @param b [..., k, n] ([..., n, k] when {@code transB})
     * @param c [..., m, n], written in place
     */
    public static void stridedBatchedInto(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                                          double beta) {
        long[] shape = productShape("Gemm.stridedBatchedInto", a, b, transA, transB);
        if (!Arrays.equals(shape, c.shape())) {
            throw new IllegalArgumentException("Gemm.stridedBatchedInto: the product is " + Shapes.str(shape) + " but c is "
                    + Shapes.str(c.shape()));
        }
        SplitProduct.run(a, b, c, transA, transB, alpha, beta);
    }

    /** The shape of {@code op(a) · op(b)} for two operands of equal rank ≥ 3 and equal leading axes. */
    private static long[] productShape(String who, INDArray a, INDArray b, boolean transA, boolean transB) {
        int r = a.rank();
        if (r < 3 || b.rank() != r) {
            throw new IllegalArgumentException(who + ": operands must have the same rank >= 3, got " + Shapes.str(a.shape())
                    + " and " + Shapes.str(b.shape()));
        }
        long m = transA ? a.size(r - 1) : a.size(r - 2);
        long kb = transB ? b.size(r - 1) : b.size(r - 2);
        long n = transB ? b.size(r - 2) : b.size(r - 1);
        long ka = transA ? a.size(r - 2) : a.size(r - 1);
        if (ka != kb || !Arrays.equals(Arrays.copyOf(a.shape(), r - 2), Arrays.copyOf(b.shape(), r - 2))) {
            throw new IllegalArgumentException(who + ": cannot multiply " + Shapes.str(a.shape()) + (transA ? "ᵀ" : "") + " by "
                    + Shapes.str(b.shape()) + (transB ? "ᵀ" : ""));
        }
        long[] shape = Arrays.copyOf(a.shape(), r);
        shape[r - 2] = m;
        shape[r - 1] = n;
        return shape;
    }
}
