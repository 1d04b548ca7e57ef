package dev.maha.core.maha;

import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of a MAHA layer (spec {@code ../shared/spec/MAHA.md}): immutable, built by
 * {@link #builder()}, validated once in {@link Builder#build()}. Every problem is reported in one
 * {@link IllegalArgumentException} that names the field and its value, for example
 * {@code "MahaConfig: heads (3) must divide width (256)"}.
 *
 * <pre>{@code
 * MahaConfig cfg = MahaConfig.builder().width(256).heads(4).scales(4).ratio(2)
 *         .decomposition(Decomposition.DEPTHWISE).windows(128, 128, 128, MahaConfig.FULL)
 *         .causal(true).aggregation(Aggregation.NASH).build();
 * MahaConfig ref = MahaConfig.reference(16, 4, 3, 2);                 // the public PyTorch code's block
 * MahaConfig eff = MahaConfig.efficient(256, 4, 4, 2, 128);           // spec §2's efficient configuration
 * MahaConfig causalEff = eff.toBuilder().causal(true).build();
 * }</pre>
 *
 * <p>Fields and defaults (builder):
 * <ul>
 *   <li>{@code width} d and {@code heads} h (required; h divides d), head width d_h = d/h;</li>
 *   <li>{@code scales} L ≥ 1 (counts scale 0, the input resolution) and {@code ratio} r ≥ 2 (required);</li>
 *   <li>{@code kernel} k ≥ 1 of the decomposition convolutions, default 3, odd when non-causal (the
 *       symmetric padding ⌊k/2⌋ gives n_l = ⌈n_{l−1}/r⌉ only for odd k, see {@link ScaleLengths});</li>
 *   <li>{@code windows}: one entry per scale, a window w_l ≥ 1 or {@link #FULL} ({@code null}) for full
 *       attention at that scale; default all FULL;</li>
 *   <li>{@code causal}, default false;</li>
 *   <li>{@code decomposition} ({@link Decomposition}), default CONV; {@code dilatedConv}
 *       ({@link DilatedConv}), default FULL; {@code aggregation} ({@link Aggregation}), default NASH;</li>
 *   <li>solver settings: {@code convex} (default {@link ConvexAllocation.Options#exact()}), {@code contest}
 *       (default {@link ContestEquilibrium.Options#exact()}), {@code valuationEpsilon} ε > 0 of the
 *       contest valuations {@code softplus(s) + ε} (default 1e-6), {@code referenceLambda} λ ≥ 0 of
 *       REFERENCE_SOFTMAX's aux loss (default 0.1), {@code consensusIterations} ≥ 1 of REFERENCE_CONSENSUS
 *       (default 3);</li>
 *   <li>{@code gating} (spec §5), default false; {@code preNorm}, default true (false = the reference's
 *       post-LN); {@code outputProjection} W^O, default true;</li>
 *   <li>{@code rotary}: per-scale rotary positions on every scale's queries and keys (spec §6: coarse
 *       token j of scale l sits at position j·R_l), default false; needs an even head width;
 *       {@code rotaryBase} > 1, default 10000;</li>
 *   <li>{@code ffnWidth} ≥ 1, default 4d; {@code dropout} in [0, 1), default 0.1; {@code seed}, default 0.</li>
 * </ul>
 * The reference aggregations are not causal (spec §4.5), so {@code causal = true} with
 * REFERENCE_SOFTMAX or REFERENCE_CONSENSUS is rejected.
 */
public final class MahaConfig {
    /** A window entry meaning "full attention at this scale" (it is {@code null}). */
    public static final Integer FULL = null;

    /** The learnable (or pooling) downsampling D_l of spec §1. */
    public enum Decomposition {
        /** Conv1d d→d, kernel k, stride r, its own weight [d, d, k] and bias [d] per level (the reference). */
        CONV,
        /** Depthwise Conv1d, one k-tap filter per channel: weight [d, 1, k] and bias [d] per level. */
        DEPTHWISE,
        /** Max pooling over blocks of r tokens, no weights. */
        MAX_POOL,
        /** Average pooling over blocks of r tokens, no weights. */
        AVG_POOL;

        /** Whether the level has weights (CONV, DEPTHWISE). */
        public boolean hasWeights() {
            return this == CONV || this == DEPTHWISE;
        }
    }

    /** The dilated convolution of the hybrid block (spec §6). */
    public enum DilatedConv {
        /** Full Conv1d d→d (the reference). */
        FULL,
        /** Depthwise Conv1d (the efficient configuration). */
        DEPTHWISE
    }

    /** How the per-scale outputs are combined (spec §4). */
    public enum Aggregation {
        /** Uniform over the available scales (§4.1). */
        MEAN,
        /** The planner's convex QP on the simplex (§4.2). */
        CONVEX,
        /** The Nash equilibrium of a proportional contest (§4.3). */
        NASH,
        /** The reference code's global softmax of learned logits (§4.5); not causal. */
        REFERENCE_SOFTMAX,
        /** The reference code's three consensus iterations over whole sequences (§4.5); not causal. */
        REFERENCE_CONSENSUS;

        /** Whether the aggregation is per position and may be used in a causal model. */
        public boolean causalSafe() {
            return this == MEAN || this == CONVEX || this == NASH;
        }
    }

    private final int width;
    private final int heads;
    private final int scales;
    private final int ratio;
    private final int kernel;
    private final List<Integer> windows;
    private final boolean causal;
    private final Decomposition decomposition;
    private final DilatedConv dilatedConv;
    private final Aggregation aggregation;
    private final ConvexAllocation.Options convex;
    private final ContestEquilibrium.Options contest;
    private final double valuationEpsilon;
    private final double referenceLambda;
    private final int consensusIterations;
    private final boolean gating;
    private final boolean preNorm;
    private final boolean outputProjection;
    private final boolean rotary;
    private final double rotaryBase;
    private final int ffnWidth;
    private final double dropout;
    private final long seed;

    private MahaConfig(Builder b, List<Integer> windows, int ffnWidth) {
        this.width = b.width;
        this.heads = b.heads;
        this.scales = b.scales;
        this.ratio = b.ratio;
        this.kernel = b.kernel;
        this.windows = windows;
        this.causal = b.causal;
        this.decomposition = b.decomposition;
        this.dilatedConv = b.dilatedConv;
        this.aggregation = b.aggregation;
        this.convex = b.convex;
        this.contest = b.contest;
        this.valuationEpsilon = b.valuationEpsilon;
        this.referenceLambda = b.referenceLambda;
        this.consensusIterations = b.consensusIterations;
        this.gating = b.gating;
        this.preNorm = b.preNorm;
        this.outputProjection = b.outputProjection;
        this.rotary = b.rotary;
        this.rotaryBase = b.rotaryBase;
        this.ffnWidth = ffnWidth;
        this.dropout = b.dropout;
        this.seed = b.seed;
    }

    /** A builder with every default set and the required fields (width, heads, scales, ratio) unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.width = width;
        b.heads = heads;
        b.scales = scales;
        b.ratio = ratio;
        b.kernel = kernel;
        b.windows = new ArrayList<>(windows);
        b.causal = causal;
        b.decomposition = decomposition;
        b.dilatedConv = dilatedConv;
        b.aggregation = aggregation;
        b.convex = convex;
        b.contest = contest;
        b.valuationEpsilon = valuationEpsilon;
        b.referenceLambda = referenceLambda;
        b.consensusIterations = consensusIterations;
        b.gating = gating;
        b.preNorm = preNorm;
        b.outputProjection = outputProjection;
        b.rotary = rotary;
        b.rotaryBase = rotaryBase;
        b.ffnWidth = ffnWidth;
        b.dropout = dropout;
        b.seed = seed;
        return b;
    }

    /**
     * The public PyTorch code's configuration (MAHABlock of canererden/MAHA-Project): full convolution
     * decomposition (kernel 3, stride r, padding 1), full dilated convolution, post-LN, no output
     * projection, non-causal, full attention at every scale, REFERENCE_SOFTMAX aggregation (switch to
     * REFERENCE_CONSENSUS with {@code toBuilder()} for its "Nash" strategy), no gating; ffnWidth 4d
     * (the shared fixture uses 2d: set it with {@code toBuilder().ffnWidth(…)}).
     */
    public static MahaConfig reference(int width, int heads, int scales, int ratio) {
        return builder().width(width).heads(heads).scales(scales).ratio(ratio)
                .decomposition(Decomposition.CONV).dilatedConv(DilatedConv.FULL)
                .preNorm(false).outputProjection(false).causal(false)
                .aggregation(Aggregation.REFERENCE_SOFTMAX).gating(false)
                .build();
    }

    /**
     * The efficient configuration of spec §2: depthwise decomposition and dilated convolution, window
     * {@code window} at scales 0..L−2 and full attention at the coarsest scale L−1, pre-LN, output
     * projection, non-causal (set {@code causal} with {@code toBuilder()}), no gating.
     *
     * <p>Aggregation NASH: the exact contest solve is a sort and a closed form per position and head
     * (O(L log L)) that needs only the L utilities, whereas CONVEX also needs the L×L cosine Gram of
     * the scale outputs at every position and head (L² dot products of length d_h, kept for backward)
     * and a small QP; the solver benchmark measured the exact contest 3.6× faster than the exact QP
     * (323 vs 1159 ms per million instances, forward and backward). Both are sparse, per position and
     * causal; NASH is the cheaper one at the sequence lengths where the efficient configuration matters.
     */
    public static MahaConfig efficient(int width, int heads, int scales, int ratio, int window) {
        Integer[] w = new Integer[Math.max(scales, 0)];
        for (int l = 0; l + 1 < w.length; l++) w[l] = window;
        return builder().width(width).heads(heads).scales(scales).ratio(ratio)
                .decomposition(Decomposition.DEPTHWISE).dilatedConv(DilatedConv.DEPTHWISE)
                .windows(w).preNorm(true).outputProjection(true).causal(false)
                .aggregation(Aggregation.NASH).gating(false)
                .build();
    }

    /** Width d. */
    public int width() {
        return width;
    }

    /** Number of heads h. */
    public int heads() {
        return heads;
    }

    /** Head width d_h = d/h. */
    public int headWidth() {
        return width / heads;
    }

    /** Number of scales L (scale 0 is the input resolution). */
    public int scales() {
        return scales;
    }

    /** Downsampling ratio r between adjacent scales. */
    public int ratio() {
        return ratio;
    }

    /** Kernel k of the decomposition convolutions (unused by pooling). */
    public int kernel() {
        return kernel;
    }

    /** The windows per scale (unmodifiable, L entries, {@code null} = {@link #FULL}). */
    public List<Integer> windows() {
        return windows;
    }

    /** The window of scale {@code l}, or {@code null} for full attention. */
    public Integer window(int l) {
        return windows.get(l);
    }

    /** Whether the layer is causal. */
    public boolean causal() {
        return causal;
    }

    /** The downsampling operator of spec §1. */
    public Decomposition decomposition() {
        return decomposition;
    }

    /** The dilated convolution of the block (spec §6). */
    public DilatedConv dilatedConv() {
        return dilatedConv;
    }

    /** The aggregation of spec §4. */
    public Aggregation aggregation() {
        return aggregation;
    }

    /** Options of the convex allocation QP (CONVEX). */
    public ConvexAllocation.Options convex() {
        return convex;
    }

    /** Options of the contest equilibrium (NASH). */
    public ContestEquilibrium.Options contest() {
        return contest;
    }

    /** ε of the contest valuations {@code softplus(s) + ε}. */
    public double valuationEpsilon() {
        return valuationEpsilon;
    }

    /** λ of REFERENCE_SOFTMAX's aux loss {@code λ·‖w‖₁}. */
    public double referenceLambda() {
        return referenceLambda;
    }

    /** Iterations of REFERENCE_CONSENSUS. */
    public int consensusIterations() {
        return consensusIterations;
    }

    /** Whether cross-scale gating (spec §5) is on. */
    public boolean gating() {
        return gating;
    }

    /** Pre-LN (true) or the reference's post-LN (false). */
    public boolean preNorm() {
        return preNorm;
    }

    /** Whether the MAHA output goes through W^O. */
    public boolean outputProjection() {
        return outputProjection;
    }

    /** Whether every scale's queries and keys get rotary positions j·R_l (spec §6). */
    public boolean rotary() {
        return rotary;
    }

    /** The rotary base θ: frequency i of a head is {@code θ^(−2i/d_h)}. */
    public double rotaryBase() {
        return rotaryBase;
    }

    /** Hidden width of the FFN. */
    public int ffnWidth() {
        return ffnWidth;
    }

    /** Dropout probability. */
    public double dropout() {
        return dropout;
    }

    /** Seed of initializations and dropout masks. */
    public long seed() {
        return seed;
    }

    /** The scale lengths n_0..n_{L−1} for an input of length n ({@link ScaleLengths#of}). */
    public int[] scaleLengths(int n) {
        return ScaleLengths.of(n, scales, ratio, kernel, causal);
    }

    /**
     * Value equality over every field; the solver options (which define no {@code equals}) compare by
     * their {@code toString()}, which lists every setting their solver uses.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MahaConfig c)) return false;
        return width == c.width && heads == c.heads && scales == c.scales && ratio == c.ratio && kernel == c.kernel
                && windows.equals(c.windows) && causal == c.causal && decomposition == c.decomposition
                && dilatedConv == c.dilatedConv && aggregation == c.aggregation
                && convex.toString().equals(c.convex.toString()) && contest.toString().equals(c.contest.toString())
                && Double.compare(valuationEpsilon, c.valuationEpsilon) == 0
                && Double.compare(referenceLambda, c.referenceLambda) == 0
                && consensusIterations == c.consensusIterations && gating == c.gating && preNorm == c.preNorm
                && outputProjection == c.outputProjection && rotary == c.rotary
                && Double.compare(rotaryBase, c.rotaryBase) == 0 && ffnWidth == c.ffnWidth
                && Double.compare(dropout, c.dropout) == 0 && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, heads, scales, ratio, kernel, windows, causal, decomposition, dilatedConv,
                aggregation, convex.toString(), contest.toString(), valuationEpsilon, referenceLambda, consensusIterations, gating, preNorm,
                outputProjection, rotary, rotaryBase, ffnWidth, dropout, seed);
    }

    @Override
    public String toString() {
        StringBuilder w = new StringBuilder("[");
        for (int l = 0; l < windows.size(); l++) {
            if (l > 0) w.append(", ");
            w.append(windows.get(l) == null ? "FULL" : windows.get(l).toString());
        }
        w.append(']');
        return "MahaConfig[d=" + width + ", h=" + heads + ", L=" + scales + ", r=" + ratio + ", k=" + kernel
                + ", windows=" + w + ", causal=" + causal + ", decomposition=" + decomposition
                + ", dilatedConv=" + dilatedConv + ", aggregation=" + aggregation + ", convex=" + convex
                + ", contest=" + contest + ", ε=" + valuationEpsilon + ", λ=" + referenceLambda
                + ", consensusIterations=" + consensusIterations + ", gating=" + gating + ", preNorm=" + preNorm
                + ", outputProjection=" + outputProjection + ", rotary=" + rotary
                + (rotary ? ", rotaryBase=" + rotaryBase : "") + ", ffnWidth=" + ffnWidth + ", dropout=" + dropout
                + ", seed=" + seed + "]";
    }

    /** Collects the fields; {@link #build()} validates them all at once. */
    public static final class Builder {
        private static final int UNSET = Integer.MIN_VALUE;

        private int width = UNSET;
        private int heads = UNSET;
        private int scales = UNSET;
        private int ratio = UNSET;
        private int kernel = 3;
        private List<Integer> windows;
        private boolean causal;
        private Decomposition decomposition = Decomposition.CONV;
        private DilatedConv dilatedConv = DilatedConv.FULL;
        private Aggregation aggregation = Aggregation.NASH;
        private ConvexAllocation.Options convex = ConvexAllocation.Options.exact();
        private ContestEquilibrium.Options contest = ContestEquilibrium.Options.exact();
        private double valuationEpsilon = 1e-6;
        private double referenceLambda = 0.1;
        private int consensusIterations = 3;
        private boolean gating;
        private boolean preNorm = true;
        private boolean outputProjection = true;
        private boolean rotary;
        private double rotaryBase = 10000;
        private int ffnWidth = UNSET;
        private double dropout = 0.1;
        private long seed;

        private Builder() {
        }

        /** Width d (required, ≥ 1). */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** Heads h (required, ≥ 1, divides d). */
        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Scales L (required, ≥ 1; counts scale 0). */
        public Builder scales(int scales) {
            this.scales = scales;
            return this;
        }

        /** Ratio r (required, ≥ 2). */
        public Builder ratio(int ratio) {
            this.ratio = ratio;
            return this;
        }

        /** Decomposition kernel k (≥ 1, odd when non-causal; default 3). */
        public Builder kernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** One window per scale: w_l ≥ 1, or {@link #FULL} for full attention (default all FULL). */
        public Builder windows(Integer... windows) {
            this.windows = windows == null ? null : new ArrayList<>(Arrays.asList(windows));
            return this;
        }

        /** One window per scale, as a list (entries may be {@code null} = FULL). */
        public Builder windows(List<Integer> windows) {
            this.windows = windows == null ? null : new ArrayList<>(windows);
            return this;
        }

        /** Causal masking (default false). */
        public Builder causal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /** The downsampling operator (default CONV). */
        public Builder decomposition(Decomposition decomposition) {
            this.decomposition = decomposition;
            return this;
        }

        /** The block's dilated convolution (default FULL). */
        public Builder dilatedConv(DilatedConv dilatedConv) {
            this.dilatedConv = dilatedConv;
            return this;
        }

        /** The aggregation (default NASH). */
        public Builder aggregation(Aggregation aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        /** Options of the convex QP (default exact active set, implicit gradient, τ = 1, μ = 0.5). */
        public Builder convex(ConvexAllocation.Options convex) {
            this.convex = convex;
            return this;
        }

        /** Options of the contest (default exact, implicit gradient). */
        public Builder contest(ContestEquilibrium.Options contest) {
            this.contest = contest;
            return this;
        }

        /** ε > 0 of the contest valuations (default 1e-6). */
        public Builder valuationEpsilon(double valuationEpsilon) {
            this.valuationEpsilon = valuationEpsilon;
            return this;
        }

        /** λ ≥ 0 of REFERENCE_SOFTMAX's aux loss (default 0.1). */
        public Builder referenceLambda(double referenceLambda) {
            this.referenceLambda = referenceLambda;
            return this;
        }

        /** Iterations ≥ 1 of REFERENCE_CONSENSUS (default 3). */
        public Builder consensusIterations(int consensusIterations) {
            this.consensusIterations = consensusIterations;
            return this;
        }

        /** Cross-scale gating (default false). */
        public Builder gating(boolean gating) {
            this.gating = gating;
            return this;
        }

        /** Pre-LN (default true); false is the reference's post-LN. */
        public Builder preNorm(boolean preNorm) {
            this.preNorm = preNorm;
            return this;
        }

        /** Output projection W^O (default true). */
        public Builder outputProjection(boolean outputProjection) {
            this.outputProjection = outputProjection;
            return this;
        }

        /** Per-scale rotary positions on queries and keys (default false; needs an even head width). */
        public Builder rotary(boolean rotary) {
            this.rotary = rotary;
            return this;
        }

        /** The rotary base θ > 1 (default 10000). */
        public Builder rotaryBase(double rotaryBase) {
            this.rotaryBase = rotaryBase;
            return this;
        }

        /** FFN hidden width (≥ 1; default 4d). */
        public Builder ffnWidth(int ffnWidth) {
            this.ffnWidth = ffnWidth;
            return this;
        }

        /** Dropout probability in [0, 1) (default 0.1). */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates every field and builds the configuration.
         *
         * @throws IllegalArgumentException listing every invalid field with its value
         */
        public MahaConfig build() {
            List<String> errors = new ArrayList<>();
            requireSet(errors, "width", width);
            requireSet(errors, "heads", heads);
            requireSet(errors, "scales", scales);
            requireSet(errors, "ratio", ratio);
            if (width != UNSET && width < 1) errors.add("width (" + width + ") must be >= 1");
            if (heads != UNSET && heads < 1) errors.add("heads (" + heads + ") must be >= 1");
            if (width != UNSET && heads != UNSET && width >= 1 && heads >= 1 && width % heads != 0) {
                errors.add("heads (" + heads + ") must divide width (" + width + ")");
            }
            if (scales != UNSET && scales < 1) errors.add("scales (" + scales + ") must be >= 1");
            if (ratio != UNSET && ratio < 2) errors.add("ratio (" + ratio + ") must be >= 2");
            if (kernel < 1) {
                errors.add("kernel (" + kernel + ") must be >= 1");
            } else if (!causal && kernel % 2 == 0) {
                errors.add("kernel (" + kernel + ") must be odd when causal is false (symmetric padding "
                        + kernel / 2 + " keeps n_l = ceil(n_{l-1}/r) only for odd kernels)");
            }
            List<Integer> w = windows;
            if (w == null) {
                if (scales != UNSET && scales >= 1) w = new ArrayList<>(Collections.nCopies(scales, FULL));
            } else {
                if (scales != UNSET && scales >= 1 && w.size() != scales) {
                    errors.add("windows has " + w.size() + " entries but scales is " + scales);
                }
                for (int l = 0; l < w.size(); l++) {
                    Integer v = w.get(l);
                    if (v != null && v < 1) errors.add("windows[" + l + "] (" + v + ") must be >= 1 or FULL");
                }
            }
            if (decomposition == null) errors.add("decomposition (null) must be one of " + Arrays.toString(Decomposition.values()));
            if (dilatedConv == null) errors.add("dilatedConv (null) must be one of " + Arrays.toString(DilatedConv.values()));
            if (aggregation == null) {
                errors.add("aggregation (null) must be one of " + Arrays.toString(Aggregation.values()));
            } else if (causal && !aggregation.causalSafe()) {
                errors.add("aggregation (" + aggregation + ") is not causal (the reference code's behaviour, spec §4.5)"
                        + " and cannot be used with causal = true; use MEAN, CONVEX or NASH");
            }
            if (convex == null) errors.add("convex (null) must be set (ConvexAllocation.Options)");
            if (contest == null) errors.add("contest (null) must be set (ContestEquilibrium.Options)");
            if (!(valuationEpsilon > 0) || !Double.isFinite(valuationEpsilon)) {
                errors.add("valuationEpsilon (" + valuationEpsilon + ") must be finite and > 0");
            }
            if (!(referenceLambda >= 0) || !Double.isFinite(referenceLambda)) {
                errors.add("referenceLambda (" + referenceLambda + ") must be finite and >= 0");
            }
            if (rotary && width != UNSET && heads != UNSET && width >= 1 && heads >= 1 && width % heads == 0
                    && (width / heads) % 2 != 0) {
                errors.add("rotary needs an even head width, but width / heads = " + width + " / " + heads + " = "
                        + width / heads);
            }
            if (!(rotaryBase > 1) || !Double.isFinite(rotaryBase)) {
                errors.add("rotaryBase (" + rotaryBase + ") must be finite and > 1");
            }
            if (consensusIterations < 1) errors.add("consensusIterations (" + consensusIterations + ") must be >= 1");
            int ffn = ffnWidth;
            if (ffn == UNSET) {
                ffn = width != UNSET && width >= 1 ? Math.multiplyExact(4, width) : UNSET;
            } else if (ffn < 1) {
                errors.add("ffnWidth (" + ffn + ") must be >= 1");
            }
            if (!(dropout >= 0 && dropout < 1)) errors.add("dropout (" + dropout + ") must lie in [0, 1)");
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("MahaConfig: " + String.join("; ", errors));
            }
            return new MahaConfig(this, Collections.unmodifiableList(new ArrayList<>(w)), ffn);
        }

        private static void requireSet(List<String> errors, String field, int value) {
            if (value == UNSET) errors.add(field + " is required");
        }
    }
}
