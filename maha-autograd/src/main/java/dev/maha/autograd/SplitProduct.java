package dev.maha.autograd;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs {@code c ← alpha · op(a) · op(b) + beta · c} over the last two axes with the work split across
 * the cores by the engine, and BLAS itself on one thread.
 *
 * <p>Why: ND4J runs a batched product as a serial loop of BLAS calls, and OpenBLAS splits each call
 * across its threads, which for the small matrices of blockwise attention (64 × 191 × 64) spend more
 * time meeting than multiplying. Measured on 2 cores, a batch of 256 such products took 12-13 ms that
 * way, 9 ms with BLAS on one thread, and 5.8-7.6 ms with BLAS on one thread and the batch split across
 * the cores. Worse, OpenBLAS's idle worker spins on {@code sched_yield} between calls (seen with perf),
 * and took a fifth of the CPU from the Java kernels and ND4J's own threads in between. The BLAS thread
 * count cannot be switched per call (measured: 0.4-0.9 ms to switch to one thread and back), so it is
 * set to one once, when this class loads, for the whole process. Every product of
 * the engine then comes here: a batch is cut along its largest leading axis, a single matrix (or a batch
 * shorter than the core count) along the rows or the columns of its result, and part 0 runs on the
 * calling thread. Large single products run as fast this way as with OpenBLAS's threads (4096 × 256 ×
 * 256: 4.0-4.7 ms either way), and the layer's step got about 10 % faster.
 *
 * <p>Start the JVM with {@code -Dmaha.blas.threads=native} to leave ND4J's BLAS threading as it is; the
 * engine then makes one BLAS call per product, as ND4J would.
 */
final class SplitProduct {
    /** Multiply-adds below which one call on the calling thread beats waking the workers. */
    static final long SPLIT_WORK = 1L << 18;

    /** Whether the engine splits products itself (BLAS single-threaded), read once. */
    static final boolean SPLIT = !"native".equals(System.getProperty("maha.blas.threads"));

    static {
        if (SPLIT && Parallel.threads() > 1) Nd4j.factory().blas().setMaxThreads(1);
    }

    private SplitProduct() {
    }

    /**
     * @param a [..., m, k] ([..., k, m] when {@code transA}), any strides
     * @param b [..., k, n] ([..., n, k] when {@code transB}), any strides, the same leading axes
     * @param c [..., m, n], the same leading axes; its matrices must not overlap
     */
    static void run(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        if (c.isEmpty()) return;
        int r = c.rank();
        int parts = Parallel.threads();
        long k = transA ? a.size(r - 2) : a.size(r - 1);
        if (k == 0) {                                     // an empty sum: BLAS is not called
            if (beta == 0) c.assign(0);
            else c.muli(beta);
            return;
        }
        if (!SPLIT || parts < 2 || c.length() * k < SPLIT_WORK) {
            product(a, b, c, transA, transB, alpha, beta);
            return;
        }
        int axis = splitAxis(c, parts);
        long size = c.size(axis);
        int count = (int) Math.min(parts, size);
        long step = (size + count - 1) / count;
        // The operands' axes that follow c's axis: the same leading axis, or op(a)'s rows, or op(b)'s columns.
        int axisA = axis < r - 2 ? axis : axis == r - 2 ? (transA ? r - 1 : r - 2) : -1;
        int axisB = axis < r - 2 ? axis : axis == r - 1 ? (transB ? r - 2 : r - 1) : -1;
        Parallel.forParts(count, part -> {
            long from = part * step;
            long to = Math.min(size, from + step);
            if (from >= to) return;
            product(axisA < 0 ? a : slice(a, axisA, from, to), axisB < 0 ? b : slice(b, axisB, from, to), slice(c, axis, from, to),
                    transA, transB, alpha, beta);
        });
    }

    private static void product(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        Nd4j.exec(new Mmul(a, b, c, alpha, beta, MMulTranspose.builder().transposeA(transA).transposeB(transB).build()));
    }

    /**
     * The axis of {@code c} to cut: its largest leading axis when that has at least one index per part,
     * else the longer of its rows and columns.
     */
    private static int splitAxis(INDArray c, int parts) {
        int r = c.rank();
        int best = -1;
        for (int i = 0; i < r - 2; i++) {
            if (best < 0 || c.size(i) > c.size(best)) best = i;
        }
        if (best >= 0 && c.size(best) >= parts) return best;
        return c.size(r - 2) >= c.size(r - 1) ? r - 2 : r - 1;
    }

    /** Indices {@code [from, to)} of {@code axis}: a view with the same strides, on the same buffer. */
    private static INDArray slice(INDArray x, int axis, long from, long to) {
        long[] shape = x.shape().clone();                 // ND4J hands out its own array
        shape[axis] = to - from;
        return Nd4j.create(Memory.rootBuffer(x), shape, x.stride(), x.offset() + from * x.stride(axis), x.ordering());
    }
}
