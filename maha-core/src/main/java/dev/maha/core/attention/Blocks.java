package dev.maha.core.attention;

import dev.maha.autograd.Gemm;
import dev.maha.autograd.Memory;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data movement of blockwise attention, done as plain memory copies of contiguous row runs or as views.
 *
 * <p>Blocks: queries in {@code nb = ⌈n/c⌉} blocks of c; block b sees the key positions
 * {@code [b·c − left, b·c − left + span)}, a contiguous run of rows of K (clipped to [0, n); the
 * rows outside are zero and masked). The attention products read the keys in place: {@link #padRows}
 * copies K once into zero-padded rows, and {@link #windows} views them as overlapping [span, d] blocks,
 * which the batched GEMM reads directly ({@code Gemm.stridedBatched}); a gathered copy would hold each key
 * ⌈span/c⌉ times (3 × 4 MB per operand at n = 4096, w = 128). The key gradients are summed into the key
 * rows by GEMMs that accumulate into strided views ({@link #keyGradients}). ND4J's concatenation and
 * additions on strided 5-D views run at well under 1 GB/s (35-60 ms to gather 8 MB, measured), so the
 * remaining copies are one memcpy per contiguous run ({@link #gather}, still used for the small
 * key-validity vectors). Addresses are computed from each array's own offset and strides.
 */
final class Blocks {
    private Blocks() {
    }

    /**
     * The keys each query block sees: x [..., n, d] → [..., nb, span, d], zero outside [0, n).
     *
     * @param x     [G..., n, d], any layout
     * @param left  keys before a block's first query that it sees
     * @param c     the query block size (block b's keys start at b·c − left)
     * @param span  keys per block
     */
    static INDArray gather(INDArray x, long nb, int c, int left, int span) {
        int r = x.rank();
        long n = x.size(r - 2);
        long d = x.size(r - 1);
        long groups = x.length() / Math.max(1, n * d);
        long[] shape = new long[r + 1];
        System.arraycopy(x.shape(), 0, shape, 0, r - 2);
        shape[r - 2] = nb;
        shape[r - 1] = span;
        shape[r] = d;
        INDArray out = Nd4j.zeros(x.dataType(), shape);
        if (x.length() == 0) return out;
        INDArray src = contiguous(x);
        long es = x.dataType().width();
        BytePointer from = new BytePointer(Memory.rootBuffer(src).addressPointer());
        BytePointer to = bytes(out);
        for (long g = 0; g < groups; g++) {
            for (long b = 0; b < nb; b++) {
                long start = b * c - left;
                long lo = Math.max(0, start);
                long hi = Math.min(n, start + span);
                if (hi <= lo) continue;
                long dst = ((g * nb + b) * span + (lo - start)) * d * es;
                long srcOff = (g * n + lo) * d * es;
                Pointer.memcpy(to.position(dst), from.position(srcOff), (hi - lo) * d * es);
            }
        }
        if (src != x) Memory.release(src);
        return out;
    }

    /**
     * x [B, h, n, d] copied into zeroed rows, heads interleaved as in the projections' output:
     * a row-major [B, rows, h, d] array whose row {@code before + i} holds position i. {@link #windows} and
     * {@link #rowsOf} read it per head. One memory copy per batch element when x is the head split of a
     * row-major [B, n, h·d] array (a query, key or value projection), else x is made row-major first.
     */
    static INDArray padRows(INDArray x, long before, long rows) {
        long b = x.size(0);
        long h = x.size(1);
        long n = x.size(2);
        long d = x.size(3);
        if (before < 0 || before + n > rows) {
            throw new IllegalArgumentException("Blocks.padRows: " + n + " rows do not fit at " + before + " in " + rows);
        }
        INDArray out = Nd4j.zeros(x.dataType(), b, rows, h, d);
        if (x.length() == 0) return out;
        INDArray src = headSplitOfRowMajor(x) ? x : x.permute(0, 2, 1, 3).dup('c').permute(0, 2, 1, 3);
        long es = x.dataType().width();
        BytePointer from = new BytePointer(Memory.rootBuffer(src).addressPointer());
        BytePointer to = bytes(out);
        long run = n * h * d;
        for (long g = 0; g < b; g++) {
            long srcOff = (src.offset() + g * src.stride(0)) * es;
            long dst = (g * rows + before) * h * d * es;
            Pointer.memcpy(to.position(dst), from.position(srcOff), run * es);
        }
        if (src != x) Memory.release(src);
        return out;
    }

    /** Whether x [B, h, n, d] has the strides of a head split of a row-major [B, n, h·d] array (at any offset). */
    private static boolean headSplitOfRowMajor(INDArray x) {
        long h = x.size(1);
        long n = x.size(2);
        long d = x.size(3);
        long[] s = x.stride();
        return (d == 1 || s[3] == 1) && (h == 1 || s[1] == d) && (n == 1 || s[2] == h * d) && (x.size(0) == 1 || s[0] == n * h * d);
    }

    /**
     * The overlapping windows of a {@link #padRows} array, without a copy: {@code padded} [B, rows, h, d] →
     * a view [B, h, nb, span, d] whose block j is rows [j·c, j·c + span) of each head. Read-only: the
     * blocks share rows.
     */
    static INDArray windows(INDArray padded, long nb, long c, long span) {
        long b = padded.size(0);
        long rows = padded.size(1);
        long h = padded.size(2);
        long d = padded.size(3);
        if (nb > 0 && (nb - 1) * c + span > rows) {
            throw new IllegalArgumentException("Blocks.windows: " + nb + " blocks of " + span + " rows, step " + c + ", exceed " + rows
                    + " rows");
        }
        return Nd4j.create(padded.data(), new long[] {b, h, nb, span, d}, new long[] {rows * h * d, d, c * h * d, h * d, 1},
                0, 'c');
    }

    /**
     * Query rows in blocks of c: x [B, h, n, d] → [B, h, n/c, c, d]. A view of x when n is a multiple of
     * c and x's rows are unit-stride (the usual head split), else a zero-padded copy (the last block's
     * missing rows are zero); the caller frees it when it does not share x's buffer
     * ({@code Memory.sharesBuffer}).
     */
    static INDArray rowsOf(INDArray x, long nb, long c) {
        long n = x.size(2);
        if (nb * c == n && x.stride(3) == 1 && x.length() > 0) {
            long[] s = x.stride();
            return Nd4j.create(Memory.rootBuffer(x), new long[] {x.size(0), x.size(1), nb, c, x.size(3)}, new long[] {s[0], s[1], c * s[2], s[2], 1},
                    x.offset(), 'c');
        }
        return windows(padRows(x, 0, nb * c), nb, c, c);
    }

    /**
     * A per-block product written straight into position rows: {@code alpha · a · b} per block [c, d] lands in
     * rows [j·c, j·c + c) of a new row-major [B, nb·c, h, d] array, which is returned as its head split
     * [B, h, n, d] (the first n rows). That is the layout of a projection's output, so the gradient goes
     * back through the head split and the projection without a copy.
     *
     * @param a [B, h, nb, c, k] (dS for dQ)
     * @param b [B, h, nb, k, d] (the key windows for dQ)
     */
    static INDArray productRows(INDArray a, INDArray b, long n, double alpha) {
        long batch = a.size(0);
        long h = a.size(1);
        long nb = a.size(2);
        long c = a.size(3);
        long d = b.size(4);
        INDArray rows = Nd4j.createUninitialized(a.dataType(), new long[] {batch, nb * c, h, d}, 'c');   // every row is written (β = 0)
        INDArray target = Nd4j.create(rows.data(), new long[] {batch, h, nb, c, d}, new long[] {nb * c * h * d, d, c * h * d, h * d, 1},
                0, 'c');
        Gemm.stridedBatchedInto(a, b, target, false, false, alpha, 0.0);
        if (nb * c == n) return rows.permute(0, 2, 1, 3);
        INDArray kept = rows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        Memory.release(rows);
        return kept.permute(0, 2, 1, 3);
    }

    /**
     * The key gradients of blockwise attention, summed straight into the key rows: for every block b,
     * {@code alpha · scores_bᵀ · rows_b} [span, d] is added to keys [b·c − left, b·c − left + span). The
     * span is cut into pieces of at most c columns; for a fixed piece t the blocks write disjoint rows
     * (t·c + b·c, step c), so piece t is one batched GEMM that accumulates (β = 1) into a strided view of
     * the zero-padded result. No per-block copies and no scatter-add.
     *
     * @param scores [B, h, nb, c, span] (P for dV, dS for dK), row-major
     * @param rows   [B, h, nb, c, d] (dO for dV, Q for dK), any strides with a unit last stride
     * @param n      keys
     * @param left   keys before a block's first query that it sees (block b's keys start at b·c − left)
     * @return [B, h, n, d]: the head split of a new row-major [B, n, h, d] array
     */
    static INDArray keyGradients(INDArray scores, INDArray rows, long n, int left, double alpha) {
        long b = scores.size(0);
        long h = scores.size(1);
        long nb = scores.size(2);
        long c = scores.size(3);
        long span = scores.size(4);
        long d = rows.size(4);
        long total = Math.max(nb * c + span - c, left + n);
        INDArray padded = Nd4j.zeros(scores.dataType(), b, total, h, d);
        long[] ss = scores.stride();
        for (long t = 0; t * c < span; t++) {
            long width = Math.min(c, span - t * c);
            INDArray piece = Nd4j.create(Memory.rootBuffer(scores), new long[] {b, h, nb, c, width}, ss, scores.offset() + t * c * ss[4], 'c');
            INDArray target = Nd4j.create(padded.data(), new long[] {b, h, nb, width, d},
                    new long[] {total * h * d, d, c * h * d, h * d, 1}, t * c * h * d, 'c');
            Gemm.stridedBatchedInto(piece, rows, target, true, false, alpha, 1.0);
        }
        if (left == 0 && total == n) return padded.permute(0, 2, 1, 3);
        // The key rows are copied out (1 ms per 4 MB): a view into the padded rows starts at an offset, so
        // the projection's backward would copy it anyway (its GEMM operands must be dense from offset 0).
        INDArray keys = padded.get(NDArrayIndex.all(), NDArrayIndex.interval(left, left + n), NDArrayIndex.all(), NDArrayIndex.all())
                .dup('c');
        Memory.release(padded);
        return keys.permute(0, 2, 1, 3);
    }

    /**
     * Writes −∞ into every entry of the row-major score matrices {@code s} [..., n, n] outside the
     * band {@code i − lower ≤ j ≤ i + upper} (a negative bound is unbounded): two memcpy calls per row
     * from a row of −∞, no n × n mask array.
     */
    static void fillOutsideBand(INDArray s, int lower, int upper) {
        int r = s.rank();
        long n = s.size(r - 1);
        if (s.length() == 0) return;
        if (!dev.maha.autograd.Memory.isRowMajorDense(s)) {
            throw new IllegalStateException("Blocks.fillOutsideBand needs a row-major score array, got " + s.shapeInfoToString());
        }
        long groups = s.length() / (n * n);
        long es = s.dataType().width();
        INDArray negInf = Nd4j.valueArrayOf(new long[] {n}, Double.NEGATIVE_INFINITY, s.dataType());
        BytePointer from = bytes(negInf);
        BytePointer to = bytes(s);
        for (long g = 0; g < groups; g++) {
            for (long i = 0; i < n; i++) {
                long row = (g * n + i) * n;
                long first = lower < 0 ? 0 : Math.max(0, i - lower);
                long last = upper < 0 ? n - 1 : Math.min(n - 1, i + upper);
                if (first > 0) Pointer.memcpy(to.position(row * es), from.position(0), first * es);
                if (last < n - 1) Pointer.memcpy(to.position((row + last + 1) * es), from.position(0), (n - 1 - last) * es);
            }
        }
        Memory.release(negInf);
    }

    private static BytePointer bytes(INDArray a) {
        return new BytePointer(a.data().addressPointer());
    }

    /** {@code a} itself when it is row-major and dense from its buffer's start, else a row-major copy. */
    private static INDArray contiguous(INDArray a) {
        return dev.maha.autograd.Memory.rowMajor(a);
    }
}
