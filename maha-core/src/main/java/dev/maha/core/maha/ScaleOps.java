package dev.maha.core.maha;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Two fused ops of the aggregation (utilities and the cosine Gram; the mixture is {@link UpsampledMix}),
 * each a pass over the L scale outputs
 * {@code u_l [B, h, n, d_h]} in Java loops, one instance (batch element, head, position) at a time, in
 * double arithmetic. Composed from generic engine ops the same computation costs several times more
 * (broadcast products and their reductions in backward dominate); see docs/maha.md (Aggregation).
 *
 * <p>Availability: an optional row-major table {@code [n, L]} ({@code null} = all available). An
 * unavailable {@code u_{l,i}} is never read: it counts as zero in the forward pass and receives
 * gradient exactly 0, so non-finite values there cannot reach the output or any gradient.
 *
 * <p>Instance {@code c} of the flattened {@code [B, h, n]} has head {@code (c / n) mod h} and position
 * {@code c mod n}; its row of {@code u_l} starts at {@code c·d_h}.
 */
final class ScaleOps {
    private ScaleOps() {
    }

    /** The sizes every op needs, read from the first scale's shape {@code [B, h, n, d_h]}. */
    private record Dims(int count, int heads, int n, int dh, int L) {
        static Dims of(long[] shape, int L) {
            long count = shape[0] * shape[1] * shape[2];
            long total = count * shape[3];
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("scale aggregation: a scale output of " + total
                        + " elements exceeds the 2^31 - 1 elements one buffer can index");
            }
            return new Dims((int) count, (int) shape[1], (int) shape[2], (int) shape[3], L);
        }

        int head(int c) {
            return (c / n) % heads;
        }

        int position(int c) {
            return c % n;
        }
    }

    /**
     * {@code Σ_k x[xo + k]·y[yo + k]} for {@code k < len}, with four independent partial sums: a single
     * running sum is bound by the latency of its floating-point adds (d_h of them in a chain).
     */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += x[xo + k] * y[yo + k];
            s1 += x[xo + k + 1] * y[yo + k + 1];
            s2 += x[xo + k + 2] * y[yo + k + 2];
            s3 += x[xo + k + 3] * y[yo + k + 3];
        }
        for (; k < len; k++) s0 += x[xo + k] * y[yo + k];
        return (s0 + s1) + (s2 + s3);
    }

    private static boolean available(boolean[] table, int i, int l, int L) {
        return table == null || table[i * L + l];
    }

    private static DenseBuffer[] readAll(INDArray[] in, int L) {
        DenseBuffer[] u = new DenseBuffer[L];
        for (int l = 0; l < L; l++) u[l] = DenseBuffer.read(in[l]);
        return u;
    }

    /** Instances per parallel chunk (fixed, so that partial sums combine the same way on every machine). */
    private static final int CHUNK = 2048;

    /**
     * Instances per tile inside a chunk: the rows of a tile are contiguous in every scale output, so each
     * is read (and written) in one bulk copy per scale instead of one call per instance and scale.
     */
    private static final int TILE = 64;

    /** Reads rows [t0, t1) (of {@code width} elements) of every non-null buffer into {@code tiles[l]}. */
    private static void readTiles(DenseBuffer[] buffers, int t0, int t1, int width, double[][] tiles) {
        for (int l = 0; l < buffers.length; l++) {
            if (buffers[l] != null) buffers[l].read(t0 * width, tiles[l], 0, (t1 - t0) * width);
        }
    }

    /** Writes {@code tiles[l]} to rows [t0, t1) of every non-null buffer. */
    private static void writeTiles(DenseBuffer[] buffers, int t0, int t1, int width, double[][] tiles) {
        for (int l = 0; l < buffers.length; l++) {
            if (buffers[l] != null) buffers[l].write(t0 * width, tiles[l], 0, (t1 - t0) * width);
        }
    }

    /** {@code total = Σ_k parts[k]} in chunk order (deterministic); nothing when total is null. */
    private static void sumInto(double[] total, double[][] parts) {
        if (total == null) return;
        for (double[] part : parts) for (int k = 0; k < total.length; k++) total[k] += part[k];
    }

    private static void releaseAll(DenseBuffer... buffers) {
        for (DenseBuffer b : buffers) if (b != null) b.release();
    }

    /**
     * Utilities {@code s_{l,i} = ⟨a_l, u_{l,i}⟩/√d_h + b_l} per head. Inputs {@code u_0..u_{L−1}}, a
     * {@code [L, h, d_h]}, b {@code [L, h]}; output {@code [B, h, n, L]}.
     */
    static final class Utilities implements Op {
        private final int L;
        private final boolean[] table;

        Utilities(int L, boolean[] table) {
            this.L = L;
            this.table = table;
        }

        @Override
        public String name() {
            return "scale_utilities";
        }

        @Override
        public INDArray forward(Context ctx, INDArray... in) {
            Dims dm = Dims.of(in[0].shape(), L);
            DenseBuffer[] u = readAll(in, L);
            DenseBuffer ab = DenseBuffer.read(in[L]);
            DenseBuffer bb = DenseBuffer.read(in[L + 1]);
            double[] a = ab.toDoubles();
            double[] b = bb.toDoubles();
            int dh = dm.dh();
            double inv = 1.0 / Math.sqrt(dh);
            DenseBuffer out = DenseBuffer.create(in[0].dataType(), false, in[0].size(0), dm.heads(), dm.n(), L);
            Parallel.forChunks(dm.count(), CHUNK, (chunk, c0, c1) -> {
                double[][] ut = new double[L][TILE * dh];
                double[] s = new double[TILE * L];
                for (int t0 = c0; t0 < c1; t0 += TILE) {
                    int t1 = Math.min(c1, t0 + TILE);
                    readTiles(u, t0, t1, dh, ut);
                    for (int c = t0; c < t1; c++) {
                        int h = dm.head(c);
                        int i = dm.position(c);
                        int so = (c - t0) * L;
                        for (int l = 0; l < L; l++) {
                            double dot = available(table, i, l, L) ? dot(a, (l * dm.heads() + h) * dh, ut[l], (c - t0) * dh, dh) : 0;
                            s[so + l] = dot * inv + b[l * dm.heads() + h];
                        }
                    }
                    out.write(t0 * L, s, 0, (t1 - t0) * L);
                }
            });
            releaseAll(u);
            releaseAll(ab, bb);
            ctx.flops(2L * dm.count() * L * (dh + 1));
            ctx.save(in);
            return out.array();
        }

        @Override
        public INDArray[] backward(Context ctx, INDArray gOut) {
            INDArray[] in = new INDArray[L + 2];
            for (int j = 0; j < L + 2; j++) in[j] = ctx.saved(j);
            Dims dm = Dims.of(in[0].shape(), L);
            int dh = dm.dh();
            int H = dm.heads();
            double inv = 1.0 / Math.sqrt(dh);
            DataType type = in[0].dataType();
            DenseBuffer g = DenseBuffer.read(gOut);
            DenseBuffer ab = DenseBuffer.read(in[L]);
            double[] a = ab.toDoubles();
            boolean needA = ctx.needsGrad(L);
            boolean needB = ctx.needsGrad(L + 1);
            DenseBuffer[] u = needA ? readAll(in, L) : new DenseBuffer[0];
            DenseBuffer[] du = new DenseBuffer[L];
            for (int l = 0; l < L; l++) {
                if (ctx.needsGrad(l)) du[l] = DenseBuffer.create(type, false, in[l].shape());
            }
            double[] da = needA ? new double[L * H * dh] : null;
            double[] db = needB ? new double[L * H] : null;
            int chunks = Parallel.chunkCount(dm.count(), CHUNK);
            double[][] daParts = new double[chunks][];
            double[][] dbParts = new double[chunks][];
            Parallel.forChunks(dm.count(), CHUNK, (chunk, c0, c1) -> {
                double[] daPart = needA ? new double[L * H * dh] : null;
                double[] dbPart = needB ? new double[L * H] : null;
                daParts[chunk] = daPart;
                dbParts[chunk] = dbPart;
                double[] gs = new double[TILE * L];
                double[][] ut = new double[L][TILE * dh];
                double[][] dut = new double[L][TILE * dh];
                for (int t0 = c0; t0 < c1; t0 += TILE) {
                    int t1 = Math.min(c1, t0 + TILE);
                    g.read(t0 * L, gs, 0, (t1 - t0) * L);
                    if (needA) readTiles(u, t0, t1, dh, ut);
                    for (int c = t0; c < t1; c++) {
                        int h = dm.head(c);
                        int i = dm.position(c);
                        int ro = (c - t0) * dh;
                        for (int l = 0; l < L; l++) {
                            double gl = gs[(c - t0) * L + l];
                            if (needB) dbPart[l * H + h] += gl;
                            boolean avail = available(table, i, l, L);
                            int ao = (l * H + h) * dh;
                            if (du[l] != null) {
                                double[] row = dut[l];
                                if (avail) {
                                    double gi = gl * inv;
                                    for (int k = 0; k < dh; k++) row[ro + k] = gi * a[ao + k];
                                } else {
                                    java.util.Arrays.fill(row, ro, ro + dh, 0.0);
                                }
                            }
                            if (needA && avail) {
                                double gi = gl * inv;
                                double[] row = ut[l];
                                for (int k = 0; k < dh; k++) daPart[ao + k] += gi * row[ro + k];
                            }
                        }
                    }
                    writeTiles(du, t0, t1, dh, dut);
                }
            });
            sumInto(da, daParts);
            sumInto(db, dbParts);
            releaseAll(u);
            releaseAll(g, ab);
            INDArray[] grads = new INDArray[L + 2];
            for (int l = 0; l < L; l++) if (du[l] != null) grads[l] = du[l].array();
            if (needA) grads[L] = create(da, type, L, H, dh);
            if (needB) grads[L + 1] = create(db, type, L, H);
            ctx.flops(4L * dm.count() * L * dh);
            return grads;
        }
    }

    /**
     * The cosine-similarity Gram {@code Ĝ_{lk} = ⟨û_l, û_k⟩}, {@code û = u/√(|u|² + ε)}, of the scales at
     * each instance. Inputs {@code u_0..u_{L−1}}; output {@code [B, h, n, L, L]}.
     */
    static final class CosineGram implements Op {
        private final int L;
        private final boolean[] table;
        private final double eps;

        CosineGram(int L, boolean[] table, double eps) {
            this.L = L;
            this.table = table;
            this.eps = eps;
        }

        @Override
        public String name() {
            return "cosine_gram";
        }

        /** Reads the instance's rows into {@code unit} (L × d_h), normalized; zero rows where unavailable. */
        private void units(DenseBuffer[] u, int c, int i, int dh, double[] unit, double[] norm) {
            for (int l = 0; l < L; l++) {
                int o = l * dh;
                if (!available(table, i, l, L)) {
                    java.util.Arrays.fill(unit, o, o + dh, 0.0);
                    norm[l] = Math.sqrt(eps);
                    continue;
                }
                u[l].read(c * dh, unit, o, dh);
                double nu = Math.sqrt(dot(unit, o, unit, o, dh) + eps);
                norm[l] = nu;
                double r = 1.0 / nu;
                for (int k = 0; k < dh; k++) unit[o + k] *= r;
            }
        }

        @Override
        public INDArray forward(Context ctx, INDArray... in) {
            Dims dm = Dims.of(in[0].shape(), L);
            int dh = dm.dh();
            DenseBuffer[] u = readAll(in, L);
            DenseBuffer out = DenseBuffer.create(in[0].dataType(), false, in[0].size(0), dm.heads(), dm.n(), L, L);
            Parallel.forChunks(dm.count(), CHUNK, (chunk, c0, c1) -> {
                double[] unit = new double[L * dh];
                double[] norm = new double[L];
                double[] gram = new double[L * L];
                for (int c = c0; c < c1; c++) {
                    units(u, c, dm.position(c), dh, unit, norm);
                    for (int p = 0; p < L; p++) {
                        for (int q = p; q < L; q++) {
                            double dot = dot(unit, p * dh, unit, q * dh, dh);
                            gram[p * L + q] = dot;
                            gram[q * L + p] = dot;
                        }
                    }
                    out.write(c * L * L, gram, 0, L * L);
                }
            });
            releaseAll(u);
            ctx.flops((long) dm.count() * (3L * L * dh + (long) L * (L + 1) * dh));
            ctx.save(in);
            return out.array();
        }

        @Override
        public INDArray[] backward(Context ctx, INDArray gOut) {
            INDArray[] in = new INDArray[L];
            for (int j = 0; j < L; j++) in[j] = ctx.saved(j);
            Dims dm = Dims.of(in[0].shape(), L);
            int dh = dm.dh();
            DenseBuffer[] u = readAll(in, L);
            DenseBuffer g = DenseBuffer.read(gOut);
            DenseBuffer[] du = new DenseBuffer[L];
            for (int l = 0; l < L; l++) {
                if (ctx.needsGrad(l)) du[l] = DenseBuffer.create(in[0].dataType(), false, in[l].shape());
            }
            Parallel.forChunks(dm.count(), CHUNK, (chunk, c0, c1) -> {
                double[] unit = new double[L * dh];
                double[] norm = new double[L];
                double[] gg = new double[L * L];
                double[] dunit = new double[dh];
                double[] zero = new double[dh];
                for (int c = c0; c < c1; c++) {
                    int i = dm.position(c);
                    units(u, c, i, dh, unit, norm);
                    g.read(c * L * L, gg, 0, L * L);
                    for (int p = 0; p < L; p++) {
                        if (du[p] == null) continue;
                        if (!available(table, i, p, L)) {
                            du[p].write(c * dh, zero, 0, dh);
                            continue;
                        }
                        // dL/dû_p = Σ_q (g_pq + g_qp) û_q
                        java.util.Arrays.fill(dunit, 0.0);
                        for (int q = 0; q < L; q++) {
                            double sq = gg[p * L + q] + gg[q * L + p];
                            if (sq == 0) continue;
                            int qo = q * dh;
                            for (int k = 0; k < dh; k++) dunit[k] += sq * unit[qo + k];
                        }
                        // through û = u/ν, ν = √(|u|² + ε): du = (dû − û ⟨û, dû⟩)/ν
                        int po = p * dh;
                        double proj = dot(unit, po, dunit, 0, dh);
                        double r = 1.0 / norm[p];
                        for (int k = 0; k < dh; k++) dunit[k] = (dunit[k] - unit[po + k] * proj) * r;
                        du[p].write(c * dh, dunit, 0, dh);
                    }
                }
            });
            releaseAll(u);
            releaseAll(g);
            INDArray[] grads = new INDArray[L];
            for (int l = 0; l < L; l++) if (du[l] != null) grads[l] = du[l].array();
            ctx.flops((long) dm.count() * (3L * L * dh + 2L * L * L * dh + 4L * L * dh));
            return grads;
        }
    }

    private static INDArray create(double[] values, DataType type, long... shape) {
        DenseBuffer out = DenseBuffer.create(type, false, shape);
        out.write(0, values, 0, values.length);
        return out.array();
    }
}
