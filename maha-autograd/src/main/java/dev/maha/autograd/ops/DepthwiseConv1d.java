package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.DirectElements;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise 1-D convolution (PyTorch {@code conv1d} with {@code groups = C}): every channel is
 * filtered by its own kernel. x [B, C, L], weight [C, 1, K] (PyTorch layout) or [C, K], optional
 * bias [C] → [B, C, L_out]:
 * <pre>
 * out[b,c,t] = bias[c] + Σ_k w[c,k] · x[b, c, t·stride + k·dilation − padLeft]   (x = 0 outside [0, L))
 * L_out      = floor((L + padLeft + padRight − dilation·(K−1) − 1) / stride) + 1
 * </pre>
 * Backward: dx[b,c,src] += g[b,c,t]·w[c,k], dw[c,k] = Σ_{b,t} g[b,c,t]·x[b,c,src], dbias = Σ_{b,t} g.
 * Inputs: {@code (x, w)} or {@code (x, w, bias)}.
 *
 * <p>Computed by plain Java loops over the arrays' off-heap buffers ({@link DirectElements}): the work is
 * a few multiply-adds per element, where a chain of ND4J ops on strided tap slices costs far more than
 * the arithmetic. The loops work channels-last and split the rows (positions) into fixed-size chunks run
 * in parallel; each chunk moves its runs of rows in one bulk copy (MAHA's six downsampling convolutions
 * at n = 4096, d = 256, forward + backward: ~120 ms as ND4J ops, 45 ms with per-row channel loops,
 * 28 ms with row chunks). A channels-last input (the transpose of a [B, n, d] sequence) gives a
 * channels-last output, so transposing back is free.
 */
public final class DepthwiseConv1d implements Op {
    private final int stride;
    private final int padLeft;
    private final int padRight;
    private final int dilation;
    private final boolean hasBias;

    /**
     * @param stride   step between output positions, ≥ 1
     * @param padLeft  zeros added before the sequence, ≥ 0
     * @param padRight zeros added after the sequence, ≥ 0
     * @param dilation spacing between kernel taps, ≥ 1
     * @param hasBias  whether a third input (bias [C]) is given
     */
    public DepthwiseConv1d(int stride, int padLeft, int padRight, int dilation, boolean hasBias) {
        Windows1d.checkSettings("depthwise_conv1d", stride, padLeft, padRight, dilation);
        this.stride = stride;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilation = dilation;
        this.hasBias = hasBias;
    }

    @Override
    public String name() {
        return "depthwise_conv1d";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        INDArray w = in[1];
        INDArray bias = hasBias ? in[2] : null;
        Windows1d.requireBcl(name(), x);
        Shapes.requireFloating(name(), "weight", w);
        long b = x.size(0);
        long c = x.size(1);
        long len = x.size(2);
        boolean layoutOk = (w.rank() == 3 && w.size(1) == 1) || w.rank() == 2;
        if (!layoutOk || w.size(0) != c) {
            throw new IllegalArgumentException("depthwise_conv1d: weight must be [C, 1, K] or [C, K] with C = " + c
                    + " for input " + Shapes.str(x.shape()) + ", got weight " + Shapes.str(w.shape()));
        }
        long k = w.size(w.rank() - 1);
        if (bias != null) Shapes.requireFloating(name(), "bias", bias);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != c)) {
            throw new IllegalArgumentException("depthwise_conv1d: bias must be [C] = [" + c + "] for input "
                    + Shapes.str(x.shape()) + ", got " + Shapes.str(bias.shape()));
        }
        long lOut = Windows1d.outLength(name(), "input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape())
                + ", stride " + stride + ", padding (" + padLeft + ", " + padRight + "), dilation " + dilation,
                len, padLeft, padRight, k, stride, dilation);

        INDArray xd = channelsLast(x);
        INDArray out = like(xd, b, c, lOut);
        forwardRows(new Geometry(b, c, len, lOut, k), DirectElements.of(xd), DirectElements.of(out), tapMajor(values(w), c, k),
                bias == null ? new double[(int) c] : values(bias));
        ctx.flops(2L * b * c * lOut * k + (bias != null ? b * c * lOut : 0));

        if (ctx.needsGrad(1)) {
            ctx.save(xd);
        } else {
            ctx.save((INDArray) null);
            if (xd != x) Memory.release(xd);
        }
        ctx.save(ctx.needsGrad(0) ? w : null);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] xShape = ctx.inputShape(0);
        long[] wShape = ctx.inputShape(1);
        long b = xShape[0];
        long c = xShape[1];
        long len = xShape[2];
        long k = wShape[wShape.length - 1];
        long lOut = g.size(2);
        long n = g.length();
        INDArray gd = channelsLast(g);
        Geometry geo = new Geometry(b, c, len, lOut, k);
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        if (ctx.needsGrad(0)) {
            INDArray dx = like(gd, b, c, len);
            inputGradRows(geo, DirectElements.of(dx), DirectElements.of(gd), tapMajor(values(ctx.saved(1)), c, k));
            grads[0] = dx;
            ctx.flops(2L * n * k);
        }
        boolean needBias = hasBias && ctx.needsGrad(2);
        if (ctx.needsGrad(1) || needBias) {
            double[][] sums = paramGrads(geo, ctx.needsGrad(1) ? DirectElements.of(ctx.saved(0)) : null, DirectElements.of(gd));
            if (ctx.needsGrad(1)) {
                grads[1] = Nd4j.create(channelMajor(sums[0], c, k), wShape, g.dataType());
                ctx.flops(2L * n * k);
            }
            if (needBias) {
                grads[2] = Nd4j.create(sums[1], new long[] {c}, g.dataType());
                ctx.flops(n);
            }
        }
        if (gd != g) Memory.release(gd);
        return grads;
    }

    /**
     * Sizes of one call: x [B, C, len], y [B, C, lOut], K taps. Every array the kernels touch is
     * channels-last ({@link #channelsLast}): row (b, t) is C contiguous elements at {@code b·s0 + t·C}, so
     * a run of rows is one contiguous run of the buffer, read and written in one bulk copy.
     */
    private record Geometry(long b, long c, long len, long lOut, long k) {
    }

    /** Elements per parallel chunk: rows are grouped so that each chunk moves about this many. */
    private static final int CHUNK_ELEMENTS = 16384;

    /** At most this many chunks per pass, which bounds the per-chunk partial sums of the weight gradient. */
    private static final int MAX_CHUNKS = 256;

    /** Rows per chunk when {@code rows} rows of c channels are split: fixed by the sizes alone (deterministic). */
    private static int rowsPerChunk(long rows, long c) {
        long byWork = Math.max(1, CHUNK_ELEMENTS / Math.max(1, c));
        long byCount = (rows + MAX_CHUNKS - 1) / MAX_CHUNKS;
        return (int) Math.max(byWork, byCount);
    }

    /** The first input row that output row t0's taps reach, clipped to 0. */
    private long firstInputReached(long t0) {
        return Math.max(0, t0 * stride - padLeft);
    }

    /** One past the last input row that output rows before t1 reach, clipped to len. */
    private long endOfInputReached(long t1, Geometry geo) {
        return Math.min(geo.len(), (t1 - 1) * stride + (geo.k() - 1) * dilation - padLeft + 1);
    }

    /** First output position whose taps reach input position {@code src} or later: ⌈(src + padLeft − (K−1)·dilation) / stride⌉. */
    private long firstOutputReaching(long src, long k) {
        return -Math.floorDiv(-(src + padLeft - (k - 1) * dilation), stride);
    }

    /**
     * {@code y[b, t, :] = bias + Σ_tap w[tap, :] ⊙ x[b, t·stride + tap·dilation − padLeft, :]} (taps in the
     * padding add nothing), in parallel over chunks of output rows; each chunk reads the input rows it
     * needs and writes its output rows in one bulk copy each.
     */
    private void forwardRows(Geometry geo, DirectElements x, DirectElements y, double[] wt, double[] bias) {
        int c = (int) geo.c();
        long rows = geo.b() * geo.lOut();
        Parallel.forChunks((int) rows, rowsPerChunk(rows, c), (chunk, r0, r1) -> {
            for (long r = r0; r < r1; ) {
                long bi = r / geo.lOut();
                long t0 = r % geo.lOut();
                long t1 = Math.min(geo.lOut(), t0 + (r1 - r));
                long lo = firstInputReached(t0);
                long hi = endOfInputReached(t1, geo);
                int xCount = (int) Math.max(0, hi - lo) * c;
                double[] xs = scratch(0, xCount);
                if (hi > lo) x.read(rowIndex(x, bi, lo), 1, xs, 0, xCount);
                int yCount = (int) (t1 - t0) * c;
                double[] ys = scratch(1, yCount);
                for (long t = t0; t < t1; t++) {
                    int yo = (int) (t - t0) * c;
                    System.arraycopy(bias, 0, ys, yo, c);
                    for (int tap = 0; tap < geo.k(); tap++) {
                        long src = t * stride + (long) tap * dilation - padLeft;
                        if (src < 0 || src >= geo.len()) continue;
                        int xo = (int) (src - lo) * c;
                        int wo = tap * c;
                        for (int ch = 0; ch < c; ch++) ys[yo + ch] += wt[wo + ch] * xs[xo + ch];
                    }
                }
                y.write(rowIndex(y, bi, t0), 1, ys, 0, yCount);
                r += t1 - t0;
            }
        });
    }

    /**
     * {@code dx[b, s, :] = Σ_tap w[tap, :] ⊙ g[b, t, :]} over the taps with {@code t·stride + tap·dilation −
     * padLeft = s}, in parallel over chunks of input rows: every dx row is written once, by one chunk,
     * so no zeroing and no write conflicts.
     */
    private void inputGradRows(Geometry geo, DirectElements dx, DirectElements g, double[] wt) {
        int c = (int) geo.c();
        long rows = geo.b() * geo.len();
        Parallel.forChunks((int) rows, rowsPerChunk(rows, c), (chunk, r0, r1) -> {
            for (long r = r0; r < r1; ) {
                long bi = r / geo.len();
                long s0 = r % geo.len();
                long s1 = Math.min(geo.len(), s0 + (r1 - r));
                long tLo = Math.max(0, firstOutputReaching(s0, geo.k()));
                long tHi = Math.min(geo.lOut(), Math.floorDiv(s1 - 1 + padLeft, stride) + 1);
                int gCount = (int) Math.max(0, tHi - tLo) * c;
                double[] gs = scratch(0, gCount);
                if (tHi > tLo) g.read(rowIndex(g, bi, tLo), 1, gs, 0, gCount);
                int xCount = (int) (s1 - s0) * c;
                double[] xs = scratch(1, xCount);
                java.util.Arrays.fill(xs, 0, xCount, 0.0);
                for (long src = s0; src < s1; src++) {
                    int xo = (int) (src - s0) * c;
                    for (int tap = 0; tap < geo.k(); tap++) {
                        long num = src + padLeft - (long) tap * dilation;
                        if (num < 0 || num % stride != 0) continue;
                        long t = num / stride;
                        if (t < tLo || t >= tHi) continue;
                        int go = (int) (t - tLo) * c;
                        int wo = tap * c;
                        for (int ch = 0; ch < c; ch++) xs[xo + ch] += wt[wo + ch] * gs[go + ch];
                    }
                }
                dx.write(rowIndex(dx, bi, s0), 1, xs, 0, xCount);
                r += s1 - s0;
            }
        });
    }

    /**
     * The weight gradient (tap-major {@code [K·C]}: {@code Σ_{b,t} g[b,t,:] ⊙ x[b, src, :]}) and the bias
     * gradient ({@code [C]}: {@code Σ_{b,t} g[b,t,:]}). Each chunk of output rows keeps its own partial
     * sums; they are added in chunk order, so the result does not depend on thread timing.
     *
     * @param x the saved input, or null when only the bias gradient is needed
     * @return {@code {dw tap-major, dbias}}
     */
    private double[][] paramGrads(Geometry geo, DirectElements x, DirectElements g) {
        int c = (int) geo.c();
        int k = (int) geo.k();
        long rows = geo.b() * geo.lOut();
        int size = rowsPerChunk(rows, c);
        double[][] dw = new double[Parallel.chunkCount((int) rows, size)][];
        double[][] db = new double[dw.length][];
        Parallel.forChunks((int) rows, size, (chunk, r0, r1) -> {
            double[] w = new double[k * c];
            double[] bsum = new double[c];
            for (long r = r0; r < r1; ) {
                long bi = r / geo.lOut();
                long t0 = r % geo.lOut();
                long t1 = Math.min(geo.lOut(), t0 + (r1 - r));
                int gCount = (int) (t1 - t0) * c;
                double[] gs = scratch(0, gCount);
                g.read(rowIndex(g, bi, t0), 1, gs, 0, gCount);
                for (int row = 0; row < gCount; row += c) {
                    for (int ch = 0; ch < c; ch++) bsum[ch] += gs[row + ch];
                }
                if (x != null) {
                    long lo = firstInputReached(t0);
                    long hi = endOfInputReached(t1, geo);
                    int xCount = (int) Math.max(0, hi - lo) * c;
                    double[] xs = scratch(1, xCount);
                    if (hi > lo) x.read(rowIndex(x, bi, lo), 1, xs, 0, xCount);
                    for (long t = t0; t < t1; t++) {
                        int go = (int) (t - t0) * c;
                        for (int tap = 0; tap < k; tap++) {
                            long src = t * stride + (long) tap * dilation - padLeft;
                            if (src < 0 || src >= geo.len()) continue;
                            int xo = (int) (src - lo) * c;
                            int wo = tap * c;
                            for (int ch = 0; ch < c; ch++) w[wo + ch] += gs[go + ch] * xs[xo + ch];
                        }
                    }
                }
                r += t1 - t0;
            }
            dw[chunk] = w;
            db[chunk] = bsum;
        });
        double[] dwSum = new double[k * c];
        double[] dbSum = new double[c];
        for (int i = 0; i < dw.length; i++) {
            for (int j = 0; j < dwSum.length; j++) dwSum[j] += dw[i][j];
            for (int j = 0; j < c; j++) dbSum[j] += db[i][j];
        }
        return new double[][] {dwSum, dbSum};
    }

    /**
     * Per-thread row buffers, reused across calls: fresh buffers per chunk were garbage of about twice the
     * input's size per call, which grew the JVM heap (and the process's resident memory) over training.
     * The fork-join workers are long-lived, so this holds a few chunk-sized arrays per core.
     */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    /** This thread's buffer {@code slot} (0 or 1) with room for {@code size} values; contents are stale. */
    private static double[] scratch(int slot, int size) {
        double[][] mine = SCRATCH.get();
        if (mine[slot].length < size) mine[slot] = new double[size];
        return mine[slot];
    }

    /** Buffer index of row (b, t)'s first channel in a channels-last array. */
    private static long rowIndex(DirectElements a, long b, long t) {
        long[] s = a.strides();
        return b * s[0] + t * s[2];
    }

    /** Weights [C, K] row-major → tap-major [K, C], so the inner loops over channels read them contiguously. */
    private static double[] tapMajor(double[] w, long c, long k) {
        double[] out = new double[w.length];
        for (int ch = 0; ch < c; ch++) for (int tap = 0; tap < k; tap++) out[tap * (int) c + ch] = w[ch * (int) k + tap];
        return out;
    }

    /** Tap-major [K, C] → [C, K] row-major. */
    private static double[] channelMajor(double[] wt, long c, long k) {
        double[] out = new double[wt.length];
        for (int ch = 0; ch < c; ch++) for (int tap = 0; tap < k; tap++) out[ch * (int) k + tap] = wt[tap * (int) c + ch];
        return out;
    }

    /** A small array's values in row-major order as a Java array (weights [C, 1, K] or [C, K], bias [C]). */
    private static double[] values(INDArray a) {
        if (Memory.isRowMajorDense(a)) return a.data().asDouble();
        INDArray copy = a.dup('c');
        double[] out = copy.data().asDouble();
        Memory.release(copy);
        return out;
    }

    /**
     * {@code a} [B, C, L] itself when it is channels-last (within each batch element, row t's C channels are
     * contiguous and row t + 1 follows row t, as in a [B, L, C] row-major buffer seen through a permutation),
     * else such a copy: the kernels' inner loops run over channels, and they move runs of rows in one copy.
     */
    private static INDArray channelsLast(INDArray a) {
        long c = a.size(1);
        boolean channelsContiguous = c == 1 || a.stride(1) == 1;
        boolean rowsContiguous = a.size(2) == 1 || a.stride(2) == c;
        if (Memory.isDenseFromStart(a) && channelsContiguous && rowsContiguous) return a;
        INDArray copy = Nd4j.createUninitialized(a.dataType(), new long[] {a.size(0), a.size(2), a.size(1)}, 'c');
        copy.assign(a.permute(0, 2, 1));
        return copy.permute(0, 2, 1);
    }

    /**
     * A new uninitialized [B, C, L] array laid out like {@code x}: channels-last (a [B, L, C] row-major
     * buffer seen through a permutation) when x is, so that the layer's usual transpose back to
     * [B, L, C] costs nothing.
     */
    private static INDArray like(INDArray x, long b, long c, long len) {
        boolean channelsLast = x.stride(1) == 1 && c > 1;
        if (channelsLast) return Nd4j.createUninitialized(x.dataType(), new long[] {b, len, c}, 'c').permute(0, 2, 1);
        return Nd4j.createUninitialized(x.dataType(), new long[] {b, c, len}, 'c');
    }
}
