package dev.maha.core.maha;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mixture {@code O* = Σ_l w_l U_l(O_l)} of spec §4 read straight from the scale outputs before
 * upsampling: position i of scale l is coarse row {@code src_l(i)} ({@link Upsampling#sources}), so the
 * L upsampled copies {@code [B, h, n, d_h]} are never written, read back, or summed again in backward.
 *
 * <p>Inputs: {@code O_0..O_{L−1}} {@code [B, h, n_l, d_h]} and the weights {@code [B, h, n, L]}; output
 * {@code [B, h, n, d_h]}. A position where scale l is unavailable (no source row, or false in the
 * availability table) never reads {@code O_l} there and passes it no gradient from there.
 *
 * <p>The arithmetic is that of mixing {@link Upsampling#upsample}d copies ({@link #samePositions} over
 * the upsampled outputs), in the same order and with the same roundings, so the two give bit-identical
 * values and gradients (tested): forward sums
 * {@code w_l·row} over l in double; backward takes {@code dw = ⟨g_i, O_l[src]⟩} and sums the per-position
 * products {@code w·g_i}, rounded to the storage type as the upsampled gradient was, over the positions
 * that read each coarse row, in increasing order. Work is split by (batch, head), whose coarse rows no
 * other chunk touches.
 */
final class UpsampledMix implements Op {
    /** Positions per tile: weights and gradient rows are read in bulk a tile at a time. */
    private static final int TILE = 64;

    private final int L;
    private final int n;
    private final int[][] sources;
    private final boolean[] table;

    /**
     * @param sources per scale, {@code int[n]}: the coarse row position i reads, or −1 where the scale is
     *                unavailable; non-decreasing where non-negative
     * @param table   availability {@code [n, L]} row-major, or null for everywhere (combined with the sources)
     */
    UpsampledMix(int n, int[][] sources, boolean[] table) {
        this.L = sources.length;
        this.n = n;
        this.sources = sources;
        this.table = table;
        for (int l = 0; l < L; l++) {
            if (sources[l].length != n) {
                throw new IllegalArgumentException("upsampled_mix: sources of scale " + l + " cover " + sources[l].length
                        + " positions, expected n = " + n);
            }
        }
    }

    /**
     * The mixture of L outputs already at full length ({@code u_l [B, h, n, d_h]}): every position reads its
     * own row, so this is {@code Σ_l w_l u_l} over the available scales.
     */
    static UpsampledMix samePositions(int n, int L, boolean[] table) {
        int[][] sources = new int[L][n];
        for (int[] row : sources) for (int i = 0; i < n; i++) row[i] = i;
        return new UpsampledMix(n, sources, table);
    }

    @Override
    public String name() {
        return "upsampled_mix";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        long[] shape = check(in);
        int groups = Math.toIntExact(shape[0] * shape[1]);
        int dh = (int) shape[3];
        int[] lengths = lengths(in);
        DenseBuffer[] o = new DenseBuffer[L];
        for (int l = 0; l < L; l++) o[l] = DenseBuffer.read(in[l]);
        DenseBuffer w = DenseBuffer.read(in[L]);
        DenseBuffer out = DenseBuffer.create(in[0].dataType(), false, shape[0], shape[1], n, dh);
        Parallel.forChunks(groups, 1, (chunk, g0, g1) -> {
            double[] wr = new double[TILE * L];
            double[] acc = new double[TILE * dh];
            double[][] rows = new double[L][(TILE + 1) * dh];
            for (int g = g0; g < g1; g++) {
                for (int i0 = 0; i0 < n; i0 += TILE) {
                    int i1 = Math.min(n, i0 + TILE);
                    w.read((g * n + i0) * L, wr, 0, (i1 - i0) * L);
                    int[] first = readSources(o, lengths, g, i0, i1, dh, rows);
                    java.util.Arrays.fill(acc, 0, (i1 - i0) * dh, 0.0);
                    for (int i = i0; i < i1; i++) {
                        int ro = (i - i0) * dh;
                        for (int l = 0; l < L; l++) {
                            int j = sources[l][i];
                            double wl = wr[(i - i0) * L + l];
                            if (j < 0 || !available(i, l) || wl == 0) continue;
                            double[] row = rows[l];
                            int so = (j - first[l]) * dh;
                            for (int k = 0; k < dh; k++) acc[ro + k] += wl * row[so + k];
                        }
                    }
                    out.write((g * n + i0) * dh, acc, 0, (i1 - i0) * dh);
                }
            }
        });
        for (DenseBuffer b : o) b.release();
        w.release();
        ctx.flops(2L * groups * n * L * dh);
        ctx.save(in);
        return out.array();
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray gOut) {
        INDArray[] in = new INDArray[L + 1];
        for (int j = 0; j <= L; j++) in[j] = ctx.saved(j);
        long[] shape = check(in);
        int groups = Math.toIntExact(shape[0] * shape[1]);
        int dh = (int) shape[3];
        int[] lengths = lengths(in);
        DataType type = in[0].dataType();
        boolean round = type == DataType.FLOAT;
        boolean needW = ctx.needsGrad(L);
        DenseBuffer[] o = new DenseBuffer[L];
        if (needW) for (int l = 0; l < L; l++) o[l] = DenseBuffer.read(in[l]);
        DenseBuffer w = DenseBuffer.read(in[L]);
        DenseBuffer g = DenseBuffer.read(gOut);
        DenseBuffer[] dO = new DenseBuffer[L];
        for (int l = 0; l < L; l++) if (ctx.needsGrad(l)) dO[l] = DenseBuffer.create(type, true, in[l].shape());
        DenseBuffer dw = needW ? DenseBuffer.create(type, false, in[L].shape()) : null;
        Parallel.forChunks(groups, 1, (chunk, g0, g1) -> {
            double[] wr = new double[TILE * L];
            double[] dwr = new double[TILE * L];
            double[] gr = new double[TILE * dh];
            double[][] rows = new double[L][(TILE + 1) * dh];
            double[][] acc = new double[L][dh];
            int[] current = new int[L];
            for (int b = g0; b < g1; b++) {
                java.util.Arrays.fill(current, -1);
                for (int i0 = 0; i0 < n; i0 += TILE) {
                    int i1 = Math.min(n, i0 + TILE);
                    w.read((b * n + i0) * L, wr, 0, (i1 - i0) * L);
                    g.read((b * n + i0) * dh, gr, 0, (i1 - i0) * dh);
                    int[] first = needW ? readSources(o, lengths, b, i0, i1, dh, rows) : null;
                    for (int i = i0; i < i1; i++) {
                        int ro = (i - i0) * dh;
                        int wo = (i - i0) * L;
                        for (int l = 0; l < L; l++) {
                            int j = sources[l][i];
                            boolean avail = j >= 0 && available(i, l);
                            if (needW) dwr[wo + l] = avail ? ScaleOps.dot(gr, ro, rows[l], (j - first[l]) * dh, dh) : 0;
                            if (dO[l] == null || j < 0) continue;
                            if (j != current[l]) {
                                flush(dO[l], b, lengths[l], current[l], acc[l], dh);
                                current[l] = j;
                            }
                            double wl = avail ? wr[wo + l] : 0.0;
                            double[] a = acc[l];
                            for (int k = 0; k < dh; k++) {
                                double p = wl * gr[ro + k];
                                a[k] += round ? (double) (float) p : p;
                            }
                        }
                    }
                    if (needW) dw.write((b * n + i0) * L, dwr, 0, (i1 - i0) * L);
                }
                for (int l = 0; l < L; l++) if (dO[l] != null) flush(dO[l], b, lengths[l], current[l], acc[l], dh);
            }
        });
        for (DenseBuffer x : o) if (x != null) x.release();
        w.release();
        g.release();
        INDArray[] grads = new INDArray[L + 1];
        for (int l = 0; l < L; l++) if (dO[l] != null) grads[l] = dO[l].array();
        if (needW) grads[L] = dw.array();
        ctx.flops(4L * groups * n * L * dh);
        return grads;
    }

    /** Writes a finished coarse row's gradient (if any) and clears the accumulator. */
    private static void flush(DenseBuffer dO, int group, int length, int row, double[] acc, int dh) {
        if (row < 0) return;
        dO.write((group * length + row) * dh, acc, 0, dh);
        java.util.Arrays.fill(acc, 0.0);
    }

    /**
     * Reads, per scale, the coarse rows positions [i0, i1) of group g use (a contiguous run, the sources
     * being non-decreasing) into {@code rows[l]}; returns per scale the first row read (row j is at
     * {@code (j − first)·d_h}).
     */
    private int[] readSources(DenseBuffer[] o, int[] lengths, int g, int i0, int i1, int dh, double[][] rows) {
        int[] first = new int[L];
        for (int l = 0; l < L; l++) {
            int lo = -1;
            int hi = -1;
            for (int i = i0; i < i1; i++) {
                int j = sources[l][i];
                if (j < 0) continue;
                if (lo < 0) lo = j;
                hi = j;
            }
            first[l] = lo;
            if (lo < 0) continue;
            int count = hi - lo + 1;
            if (rows[l].length < count * dh) rows[l] = new double[count * dh];
            o[l].read((g * lengths[l] + lo) * dh, rows[l], 0, count * dh);
        }
        return first;
    }

    private boolean available(int i, int l) {
        return table == null || table[i * L + l];
    }

    private int[] lengths(INDArray[] in) {
        int[] lengths = new int[L];
        for (int l = 0; l < L; l++) lengths[l] = (int) in[l].size(2);
        return lengths;
    }

    /** Checks the inputs and returns the output shape {@code [B, h, n, d_h]}. */
    private long[] check(INDArray[] in) {
        if (in.length != L + 1) {
            throw new IllegalArgumentException("upsampled_mix: expects " + L + " scale outputs and the weights, got " + in.length + " inputs");
        }
        long[] first = in[0].shape();
        long[] out = {first[0], first[1], n, first[3]};
        if ((long) first[0] * first[1] * n * first[3] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("upsampled_mix: an output of " + Shapes.str(out) + " exceeds the 2^31 - 1 elements one buffer can index");
        }
        for (int l = 0; l < L; l++) {
            long[] s = in[l].shape();
            if (s.length != 4 || s[0] != first[0] || s[1] != first[1] || s[3] != first[3]) {
                throw new IllegalArgumentException("upsampled_mix: scale output " + l + " is " + Shapes.str(s) + ", expected [B, h, n_l, d_h] = "
                        + "[" + first[0] + ", " + first[1] + ", n_l, " + first[3] + "]");
            }
            for (int i = 0; i < n; i++) {
                if (sources[l][i] >= s[2]) {
                    throw new IllegalArgumentException("upsampled_mix: position " + i + " reads row " + sources[l][i] + " of scale " + l
                            + ", which has only " + s[2] + " rows");
                }
            }
        }
        long[] ws = in[L].shape();
        if (ws.length != 4 || ws[0] != first[0] || ws[1] != first[1] || ws[2] != n || ws[3] != L) {
            throw new IllegalArgumentException("upsampled_mix: weights must be [B, h, n, L] = " + Shapes.str(new long[] {first[0], first[1], n, L})
                    + ", got " + Shapes.str(ws));
        }
        return out;
    }
}
