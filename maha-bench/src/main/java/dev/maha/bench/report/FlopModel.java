package dev.maha.bench.report;


import dev.maha.core.attention.ScaledDotProductAttention;
import dev.maha.core.maha.MahaConfig;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import dev.maha.optim.solvers.GradientMode;
import java.util.Arrays;

/**
 * The analytic FLOP model of the two attention layers (formulas in {@code docs/flops.md}): one forward and
 * one backward pass of the dense baseline ({@code MultiHeadSelfAttention}) and of MAHA's layer
 * ({@code MultiscaleAttention}) on an input {@code [B, n, d]} that requires a gradient.
 *
 * <p>The model follows the same conventions as the ops' own counters (multiply-add = 2 FLOPs, one FLOP
 * per element of an element-wise pass) term by term, so that it reproduces {@code FlopCounter} around a
 * real forward and backward. The only data-dependent terms are the CONVEX solver's (the active-set QP's
 * number of linear solves and the FISTA iteration count): the model assumes {@value #ASSUMED_QP_SOLVES} solves per instance and
 * the full iteration budget. Those terms are below 0.1 % of the layer at every size the report uses.
 */
public final class FlopModel {
    /**
     * Linear solves per instance (of two or more scales) that the model assumes for the exact convex QP: the
     * active-set method solves once on its starting free set and once more per scale it frees or holds;
     * 1.4 on average is what the counter reports for the report's random inputs (one scale needs no solve).
     */
    static final double ASSUMED_QP_SOLVES = 1.4;

    private FlopModel() {
    }

    /**
     * The dense baseline: Q, K, V, O projections d → d with bias, full attention over n positions
     * (causal or not).
     *
     * @param batch B ≥ 1
     * @param n     sequence length ≥ 1
     * @param width d
     * @param heads h, dividing d
     */
    public static LayerFlops baseline(long batch, long n, int width, int heads, boolean causal) {
        requirePositive(batch, n, width, heads);
        long dh = width / heads;
        LayerFlops.Builder f = new LayerFlops.Builder();
        for (int i = 0; i < 3; i++) linear(f, "projections", batch * n, width, width);
        attention(f, batch * heads, n, dh, causal, null);
        linear(f, "output projection", batch * n, width, width);
        return f.build();
    }

    /**
     * MAHA's layer as {@code MultiscaleAttention} runs it without a padding mask: decomposition of C and of
     * the shared values, per-scale Q/K projections and attention, upsampling, aggregation, W^O.
     *
     * @param config the layer's configuration (CONV or DEPTHWISE decomposition; MEAN, CONVEX or NASH; no
     *               gating or rotary positions)
     * @param batch  B ≥ 1
     * @param n      sequence length ≥ 1
     */
    public static LayerFlops maha(MahaConfig config, long batch, int n) {
        if (config == null) throw new IllegalArgumentException("FlopModel.maha: config is null");
        requirePositive(batch, n, config.width(), config.heads());
        if (config.gating() || config.rotary()) {
            throw new IllegalArgumentException("FlopModel.maha: gating (" + config.gating() + ") and rotary ("
                    + config.rotary() + ") are not modelled; turn them off");
        }
        long d = config.width();
        long h = config.heads();
        long dh = config.headWidth();
        boolean causal = config.causal();
        int[] lengths = config.scaleLengths(n);
        int used = 0;
        while (used < lengths.length && lengths[used] > 0) used++;

        LayerFlops.Builder f = new LayerFlops.Builder();
        for (int pyramid = 0; pyramid < 2; pyramid++) {                 // X_l = D_l(X_{l−1}) and V_l = D_l(V_{l−1})
            for (int l = 1; l < used; l++) downsample(f, config, batch * lengths[l]);
        }
        linear(f, "projections", batch * n, d, d);                        // shared V_0
        for (int l = 0; l < used; l++) {
            linear(f, "projections", batch * lengths[l], d, d);            // Q_l
            linear(f, "projections", batch * lengths[l], d, d);            // K_l
            attention(f, batch * h, lengths[l], dh, causal, config.window(l));
            if (l > 0) f.add("upsampling", 0, batch * h * n * dh);         // gather forward, scatter-add backward
        }
        aggregation(f, config, batch * h, n, dh, Arrays.copyOf(lengths, used));
        if (config.outputProjection()) linear(f, "output projection", batch * n, d, d);
        return f.build();
    }

    /**
     * Score entries of the paper's metric, per batch element, summed over heads: what each scale's
     * attention has to look at, n_l² for full attention and n_l·w for a window w (the entries outside
     * the window or the causal triangle that a computation may also touch do not count; the FLOPs do).
     */
    public static long scoreEntries(MahaConfig config, int n) {
        int[] lengths = config.scaleLengths(n);
        long sum = 0;
        for (int l = 0; l < lengths.length; l++) {
            long nl = lengths[l];
            Integer w = config.window(l);
            sum += w == null ? nl * nl : nl * Math.min(w, nl);
        }
        return sum * config.heads();
    }

    /** The dense baseline's score entries: n² per head. */
    public static long baselineScoreEntries(long n, int heads) {
        return ScaledDotProductAttention.denseEquivalentEntries(n) * heads;
    }

    // ------------------------------------------------------------------ parts

    /** A Linear [rows, in] → [rows, out] with bias whose input, weight and bias all need gradients. */
    private static void linear(LayerFlops.Builder f, String part, long rows, long in, long out) {
        long gemm = 2 * rows * in * out;
        f.add(part, gemm + rows * out, 2 * gemm + rows * out);           // backward: dx, dW, db
    }

    /**
     * The fused attention op on g = B·h groups of n queries (as {@code ScaledDotProductAttention} counts
     * it): full n × n scores, or its blockwise layout ({@link ScaledDotProductAttention#blockLayout}: query
     * blocks of c against span = c + w − 1 (causal) or c + 2⌊w/2⌋ keys).
     */
    private static void attention(LayerFlops.Builder f, long g, long n, long dh, boolean causal, Integer window) {
        if (n == 0) return;
        long e = g * ScaledDotProductAttention.scoreEntries(n, causal, window);
        ScaledDotProductAttention.BlockLayout blocks = ScaledDotProductAttention.blockLayout(n, causal, window);
        long maskPasses;
        long backwardExtra;
        if (blocks != null) {
            long rows = g * blocks.blocks() * blocks.span() * dh;
            maskPasses = 2;                                                // in-block band and key validity
            backwardExtra = rows                                           // scatter-add of dV
                    + g * n * dh                                           // dQ scale
                    + g * blocks.paddedLength() * dh + rows;               // dK: scaled queries, scatter-add
        } else {
            boolean restricts = window != null && (causal ? window < n : window / 2 < n - 1);
            maskPasses = causal || restricts ? 1 : 0;                      // band fill
            backwardExtra = 2 * g * n * dh;                                // dQ and dK scale
        }
        long forward = g * n * dh + 2 * e * dh + maskPasses * e + 5 * e + 2 * e * dh;
        long backward = 2 * e * dh                                         // dV = Pᵀ g
                + 2 * g * n * dh + 2 * e * dh + 2 * e                      // rowdot, dP = g Vᵀ, dS
                + 4 * e * dh                                               // dQ, dK
                + backwardExtra;
        f.add("attention", forward, backward);
    }

    /** One downsampling level of {@code outRows = B·n_l} output tokens (the input needs its gradient). */
    private static void downsample(LayerFlops.Builder f, MahaConfig config, long outRows) {
        long d = config.width();
        long k = config.kernel();
        switch (config.decomposition()) {
            case DEPTHWISE -> {
                long outputs = outRows * d;
                f.add("decomposition", 2 * outputs * k + outputs, 4 * outputs * k + outputs);
            }
            case CONV -> {
                long gemm = 2 * outRows * d * d * k;
                f.add("decomposition", gemm + outRows * d, 2 * gemm + outRows * d * k + outRows * d);
            }
            default -> throw new IllegalArgumentException("FlopModel.maha: decomposition " + config.decomposition()
                    + " is not modelled (CONV, DEPTHWISE)");
        }
    }

    /**
     * Utilities, solver and mixture over {@code count = B·h·n} positions of the non-empty scales of
     * {@code lengths}. The utilities' dot products run on each scale's n_l rows before upsampling
     * ({@code ScaleAggregator.coarseUtilities}); the dots of levels l > 0 are upsampled, and the biases added.
     */
    private static void aggregation(LayerFlops.Builder f, MahaConfig config, long groups, int n, long dh, int[] lengths) {
        int L = lengths.length;
        long count = groups * n;
        long coarseRows = 0;
        for (int len : lengths) coarseRows += groups * len;
        f.add("aggregation", 2 * count * L * dh, 4 * count * L * dh);                     // mixture Σ w_l u_l
        switch (config.aggregation()) {
            case MEAN -> {
            }
            case NASH -> {
                utilities(f, coarseRows, count, dh, L, groups * n);
                f.add("aggregation", 8 * count * L + count * L, 2 * count * L);           // softplus, + ε
                ContestEquilibrium.Options o = config.contest();
                boolean exact = o.solver() == ContestEquilibrium.Solver.EXACT;
                long K = o.iterations();
                long forward = exact ? 25L * L : 15L * L * K + 10L * L;
                long backward = !exact && o.gradient() == GradientMode.UNROLLED ? 25L * L * K : 8L * L;
                f.add("aggregation solver", forward * count, backward * count);
            }
            case CONVEX -> {
                utilities(f, coarseRows, count, dh, L, groups * n);
                f.add("aggregation", count * (3L * L * dh + (long) L * (L + 1) * dh),
                        count * (3L * L * dh + 2L * L * L * dh + 4L * L * dh));           // cosine Gram
                convexSolver(f, config.convex(), groups, n, config, L);
            }
            default -> throw new IllegalArgumentException("FlopModel.maha: aggregation " + config.aggregation()
                    + " is not modelled (MEAN, CONVEX, NASH)");
        }
    }

    /** Coarse utilities: dots on the coarse rows, upsampled dots (levels 1..L−1: scatter-add backward), + b. */
    private static void utilities(LayerFlops.Builder f, long coarseRows, long count, long dh, int L, long upsampledRows) {
        f.add("aggregation", 2 * coarseRows * (dh + 1) + count * L, 4 * coarseRows * dh);
        f.add("upsampling", 0, (L - 1) * upsampledRows);
    }

    /** The convex QP per position: m = the scales available there (all L unless causal). */
    private static void convexSolver(LayerFlops.Builder f, ConvexAllocation.Options o, long groups, int n, MahaConfig config,
                                     int L) {
        boolean fista = o.solver() == ConvexAllocation.Solver.FISTA;
        boolean unrolled = fista && o.gradientMode() == GradientMode.UNROLLED;
        long K = o.iterations();
        long forward = 0;
        long backward = 0;
        for (int i = 0; i < n; i++) {
            long m = available(config, i, L);
            if (m == 0) continue;
            double solves = m == 1 ? 0 : ASSUMED_QP_SOLVES;                // one scale: w = 1 without a solve
            long solve = fista ? K * (2 * m * m + 12 * m) : Math.round(solves * (m * m * m + 6 * m * m));
            forward += solve + 2 * m * m + m * m * m / 3 + 10 * m;
            if (m > 1) backward += unrolled ? K * (8 * m * m + 20 * m) : m * m * m / 3 + 8 * m * m;
        }
        f.add("aggregation solver", forward * groups, backward * groups);
    }

    /** Scales available at position i: causal scale l needs (i + 1) ≥ r^l; non-causal all. */
    private static int available(MahaConfig config, int i, int L) {
        if (!config.causal()) return L;
        int m = 0;
        long composite = 1;
        for (int l = 0; l < L; l++) {
            if (i + 1 >= composite) m++;
            composite *= config.ratio();
        }
        return m;
    }

    private static void requirePositive(long batch, long n, int width, int heads) {
        if (batch < 1) throw new IllegalArgumentException("FlopModel: batch must be >= 1, got " + batch);
        if (n < 1) throw new IllegalArgumentException("FlopModel: n must be >= 1, got " + n);
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("FlopModel: heads (" + heads + ") must be >= 1 and divide width (" + width + ")");
        }
    }
}
