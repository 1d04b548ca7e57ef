package dev.maha.core.maha;

import dev.maha.autograd.Tensor;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import dev.maha.optim.solvers.ReferenceConsensus;
import dev.maha.optim.solvers.ReferenceSoftmax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Aggregation of the upsampled scale outputs into one output per position and head (MAHA spec §4).
 *
 * <p>Inputs are the L upsampled scale outputs {@code u_l}, each {@code [B, h, n, d_h]}, and per scale an
 * availability vector over the n positions (from causal upsampling, spec §3; {@code null} means available
 * everywhere). For every batch element, head and position {@code i} the weights {@code w_i ∈ Δ_L} come
 * from the quantities at that position only, so the aggregation never mixes positions:
 * <pre>
 *   s_{l,i} = ⟨a_l, u_{l,i}⟩/√d_h + b_l          (utilities; a [L, h, d_h], b [L, h], per head)
 *   O*_i    = Σ_l w_{l,i}·u_{l,i}                 ([B, h, n, d_h])
 * </pre>
 * Unavailable scales are removed from the problem at that position: they get weight exactly 0, their
 * values there are replaced by 0 before anything reads them (so neither the output nor any gradient
 * depends on them), and they receive gradient 0.
 *
 * <ul>
 *   <li>{@link Mode#MEAN}: uniform weights over the available scales.</li>
 *   <li>{@link Mode#CONVEX}: {@link ConvexAllocation} of {@code s} with the cosine-similarity Gram
 *       {@code Ĝ_{lk} = ⟨û_l, û_k⟩}, {@code û = u/√(|u|² + 10⁻¹²)} (engine ops, so gradients reach u
 *       through Ĝ as well as through s).</li>
 *   <li>{@link Mode#NASH}: {@link ContestEquilibrium} of the valuations {@code v = softplus(s) + ε}.</li>
 *   <li>{@link Mode#REFERENCE_SOFTMAX}, {@link Mode#REFERENCE_CONSENSUS}: the public reference code's
 *       aggregations on whole concatenated-head outputs {@code [B, n, d]} (see
 *       {@link #referenceSoftmax} and {@link #referenceConsensus}). REFERENCE_CONSENSUS is <b>not
 *       causal</b>: its weights come from norms over the whole sequence.</li>
 * </ul>
 *
 * <p>Every per-head mode is a constant number of ops over the whole batch (never a loop of ops over
 * positions): three fused ops of this package (utilities and cosine Gram in {@code ScaleOps}, the mixture
 * {@link UpsampledMix}; each one pass over the scale outputs with its own backward) around the solver op. Float32 and float64 inputs are accepted; u, a, b must share the type.
 * Bad input throws an {@link IllegalArgumentException} that starts with the function's name
 * ({@code "ScaleAggregator.convex: "}, ...) and shows the offending shapes or values.
 */
public final class ScaleAggregator {
    /** The ε of the Gram normalization {@code û = u/√(|u|² + GRAM_EPS)}. */
    public static final double GRAM_EPS = 1e-12;

    /** Default valuation floor ε of NASH ({@code v = softplus(s) + ε}). */
    public static final double DEFAULT_NASH_EPSILON = 1e-6;

    /** The reference code's sparsity coefficient λ. */
    public static final double DEFAULT_SOFTMAX_LAMBDA = 0.1;

    private ScaleAggregator() {
    }

    /** The aggregation modes. */
    public enum Mode {
        /** Uniform over the available scales. */
        MEAN,
        /** The planner's convex QP on the simplex per position and head (spec §4.2). */
        CONVEX,
        /** The scales' contest equilibrium per position and head (spec §4.3). */
        NASH,
        /** The reference code's global softmax of learned logits, aux loss λ·‖w‖₁ (spec §4.5). */
        REFERENCE_SOFTMAX,
        /** The reference code's sequence-wide consensus re-weighting (spec §4.5); not causal. */
        REFERENCE_CONSENSUS
    }

    /**
     * What an aggregation returns.
     *
     * @param output      the aggregate: {@code [B, h, n, d_h]} for per-head inputs, {@code [B, n, d]} for
     *                    the {@code [B, n, d]} reference entry points
     * @param auxLoss     rank 0: {@code λ·‖w‖₁} for REFERENCE_SOFTMAX, a zero tensor otherwise
     * @param weights     for inspection and logging: {@code [B, h, n, L]} for MEAN, CONVEX, NASH;
     *                    {@code [L]} for REFERENCE_SOFTMAX; {@code [B, L]} for REFERENCE_CONSENSUS
     * @param certificate the solver certificate, largest over all instances: the KKT residual for CONVEX,
     *                    the relative equilibrium gap for NASH; empty for the other modes
     */
    public record Result(Tensor output, Tensor auxLoss, Tensor weights, OptionalDouble certificate) {
    }

    /**
     * Everything that selects and tunes an aggregation, for {@link #aggregate}: the mode, the solver
     * options (CONVEX, NASH), NASH's valuation floor ε (> 0), the reference softmax's λ (finite) and
     * the reference consensus's number of rounds (≥ 0). Validated when built.
     */
    public record Settings(Mode mode, ConvexAllocation.Options convex, ContestEquilibrium.Options contest,
                           double nashEpsilon, double softmaxLambda, int consensusIterations) {
        /** Checks every field; messages name it. */
        public Settings {
            if (mode == null) throw new IllegalArgumentException("ScaleAggregator.Settings: mode is null");
            if (convex == null) throw new IllegalArgumentException("ScaleAggregator.Settings: convex options are null");
            if (contest == null) throw new IllegalArgumentException("ScaleAggregator.Settings: contest options are null");
            if (!(nashEpsilon > 0) || !Double.isFinite(nashEpsilon)) {
                throw new IllegalArgumentException("ScaleAggregator.Settings: nashEpsilon ε = " + nashEpsilon
                        + " must be finite and > 0");
            }
            if (!Double.isFinite(softmaxLambda)) {
                throw new IllegalArgumentException("ScaleAggregator.Settings: softmaxLambda λ = " + softmaxLambda
                        + " must be finite");
            }
            if (consensusIterations < 0) {
                throw new IllegalArgumentException("ScaleAggregator.Settings: consensusIterations = "
                        + consensusIterations + " must be >= 0");
            }
        }

        /**
         * {@code mode} with the defaults: exact solvers with IMPLICIT gradients
         * ({@link ConvexAllocation.Options#exact()}: τ = 1, μ = 0.5; {@link ContestEquilibrium.Options#exact()}),
         * ε = {@value #DEFAULT_NASH_EPSILON}, λ = {@value #DEFAULT_SOFTMAX_LAMBDA}, 3 consensus rounds.
         */
        public static Settings of(Mode mode) {
            return new Settings(mode, ConvexAllocation.Options.exact(), ContestEquilibrium.Options.exact(),
                    DEFAULT_NASH_EPSILON, DEFAULT_SOFTMAX_LAMBDA, ReferenceConsensus.DEFAULT_ITERATIONS);
        }

        /** A copy with another mode. */
        public Settings withMode(Mode mode) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }

        /** A copy with other CONVEX solver options. */
        public Settings withConvex(ConvexAllocation.Options convex) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }

        /** A copy with other NASH solver options. */
        public Settings withContest(ContestEquilibrium.Options contest) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }

        /** A copy with another NASH valuation floor ε (> 0). */
        public Settings withNashEpsilon(double nashEpsilon) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }

        /** A copy with another reference-softmax λ. */
        public Settings withSoftmaxLambda(double softmaxLambda) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }

        /** A copy with another number of consensus rounds (≥ 0). */
        public Settings withConsensusIterations(int consensusIterations) {
            return new Settings(mode, convex, contest, nashEpsilon, softmaxLambda, consensusIterations);
        }
    }

    // ------------------------------------------------------------------ one entry point for every mode

    /**
     * Aggregates per-head scale outputs in the mode of {@code settings}.
     *
     * <p>MEAN, CONVEX, NASH: as {@link #mean}, {@link #convex}, {@link #nash}. The reference modes
     * aggregate whole concatenated-head outputs, as the reference does: the heads of each {@code u_l}
     * are merged into {@code [B, n, h·d_h]} (head {@code k} takes columns {@code [k·d_h, (k+1)·d_h)}),
     * aggregated by {@link #referenceSoftmax} / {@link #referenceConsensus}, and the output is split
     * back into {@code [B, h, n, d_h]}. The reference modes have no notion of availability and ignore
     * {@code available} (an unavailable scale's output is zero by spec §3 and keeps its weight).
     *
     * @param u         the L upsampled scale outputs, each {@code [B, h, n, d_h]}
     * @param available per scale, availability over the n positions (or null entries / a null list
     *                  for available everywhere); see {@link #availability(INDArray)} for BOOL arrays
     * @param a         utility weights {@code [L, h, d_h]} (CONVEX, NASH; else ignored, may be null)
     * @param b         utility biases {@code [L, h]} (CONVEX, NASH; else ignored, may be null)
     * @param logits    the reference logits θ {@code [L]} (REFERENCE_SOFTMAX; else ignored, may be null)
     */
    public static Result aggregate(Settings settings, List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b,
                                   Tensor logits) {
        return aggregate(settings, u, available, a, b, logits, null);
    }

    /**
     * {@link #aggregate(Settings, List, List, Tensor, Tensor, Tensor)} with the utilities already computed
     * (CONVEX, NASH), for example by {@link #coarseUtilities} before upsampling; null computes them from u.
     *
     * @param s utilities {@code [B, h, n, L]} equal to {@link #utilities(List, Tensor, Tensor)} of u, or null
     */
    public static Result aggregate(Settings settings, List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b,
                                   Tensor logits, Tensor s) {
        if (settings == null) throw new IllegalArgumentException("ScaleAggregator.aggregate: settings are null");
        switch (settings.mode()) {
            case MEAN:
                return mean(u, available);
            case CONVEX:
                return convex(u, available, a, b, settings.convex(), s);
            case NASH:
                return nash(u, available, a, b, settings.nashEpsilon(), settings.contest(), s);
            case REFERENCE_SOFTMAX: {
                long[] shape = checkScales("ScaleAggregator.aggregate", u);
                Result r = referenceSoftmax(mergeHeads(u), logits, settings.softmaxLambda());
                return new Result(splitHeads(r.output(), shape), r.auxLoss(), r.weights(), r.certificate());
            }
            case REFERENCE_CONSENSUS: {
                long[] shape = checkScales("ScaleAggregator.aggregate", u);
                Result r = referenceConsensus(mergeHeads(u), settings.consensusIterations());
                return new Result(splitHeads(r.output(), shape), r.auxLoss(), r.weights(), r.certificate());
            }
            default:
                throw new IllegalArgumentException("ScaleAggregator.aggregate: unknown mode " + settings.mode());
        }
    }

    // ------------------------------------------------------------------ the per-head modes

    /**
     * MEAN: {@code w_{l,i} = 1/|A_i|} on the available scales {@code A_i} of position i, 0 elsewhere
     * (all 0 where no scale is available).
     *
     * @param u         L tensors {@code [B, h, n, d_h]}
     * @param available per scale a {@code boolean[n]} (null entry or null list: available everywhere)
     * @return output {@code [B, h, n, d_h]}, aux 0, weights {@code [B, h, n, L]}, no certificate
     */
    public static Result mean(List<Tensor> u, List<boolean[]> available) {
        String fn = "ScaleAggregator.mean";
        long[] shape = checkScales(fn, u);
        int L = u.size();
        boolean[] avail = availabilityTable(fn, available, L, shape[2]);
        Tensor weights = meanWeights(shape, L, avail, u.get(0).dtype());
        return new Result(mix(u, avail, weights), Tensor.scalar(0, weights.dtype()), weights, OptionalDouble.empty());
    }

    /**
     * MEAN or NASH on the scale outputs before upsampling: the same result as {@link #aggregate} on their
     * upsampled copies (bit for bit), but the mixture reads each position's coarse row in place
     * ({@link UpsampledMix}), so the L upsampled {@code [B, h, n, d_h]} copies are never made.
     *
     * @param settings  MEAN or NASH
     * @param coarse    the L scale outputs, {@code [B, h, n_l, d_h]}
     * @param sources   per scale, the coarse row each of the n positions reads, −1 where the scale is
     *                  unavailable ({@link Upsampling#sources})
     * @param available per scale a {@code boolean[n]} (null entries or a null list: available everywhere)
     * @param s         NASH: the utilities {@code [B, h, n, L]} ({@link #coarseUtilities}); MEAN: ignored
     */
    public static Result aggregateUpsampled(Settings settings, List<Tensor> coarse, int[][] sources, List<boolean[]> available,
                                            Tensor s) {
        String fn = "ScaleAggregator.aggregateUpsampled";
        if (settings == null) throw new IllegalArgumentException(fn + ": settings are null");
        if (coarse == null || coarse.isEmpty() || sources == null || sources.length != coarse.size()) {
            throw new IllegalArgumentException(fn + ": need one source map per scale output, got " + (coarse == null ? "null" : coarse.size())
                    + " outputs and " + (sources == null ? "null" : sources.length) + " maps");
        }
        Tensor o0 = coarse.get(0);
        int L = coarse.size();
        long[] shape = {o0.size(0), o0.size(1), sources[0].length, o0.size(3)};
        boolean[] avail = availabilityTable(fn, available, L, shape[2]);
        Tensor weights;
        OptionalDouble certificate;
        switch (settings.mode()) {
            case MEAN -> {
                weights = meanWeights(shape, L, avail, o0.dtype());
                certificate = OptionalDouble.empty();
            }
            case NASH -> {
                if (s == null) throw new IllegalArgumentException(fn + ": NASH needs the utilities s [B, h, n, L]");
                ContestEquilibrium.Solution sol = nashSolution(fn, checkedUtilities(fn, s, shape, L), avail, shape, L,
                        settings.nashEpsilon(), settings.contest());
                weights = sol.weights();
                certificate = OptionalDouble.of(sol.maxGap());
            }
            default -> throw new IllegalArgumentException(fn + ": only MEAN and NASH mix without the upsampled outputs, got "
                    + settings.mode());
        }
        Tensor[] in = coarse.toArray(new Tensor[L + 1]);
        in[L] = weights;
        Tensor out = Tensor.apply(new UpsampledMix((int) shape[2], sources, avail), in);
        return new Result(out, Tensor.scalar(0, weights.dtype()), weights, certificate);
    }

    /** MEAN's weights {@code [B, h, n, L]}: 1/|A_i| on the available scales of position i, else 0. */
    private static Tensor meanWeights(long[] shape, int L, boolean[] avail, DataType dtype) {
        long batch = shape[0];
        long heads = shape[1];
        int n = (int) shape[2];
        double[] w = new double[Math.toIntExact(batch * heads * n * L)];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int l = 0; l < L; l++) if (avail == null || avail[i * L + l]) count++;
            for (int l = 0; l < L; l++) {
                double wl = avail == null || avail[i * L + l] ? 1.0 / count : 0.0;
                for (long bh = 0; bh < batch * heads; bh++) w[(int) ((bh * n + i) * L + l)] = wl;
            }
        }
        INDArray w64 = Nd4j.create(w, new long[] {batch, heads, n, L}, DataType.DOUBLE);
        INDArray wTyped = dtype == DataType.DOUBLE ? w64 : w64.castTo(dtype);
        if (wTyped != w64) w64.close();
        return Tensor.owning(wTyped);
    }

    /**
     * CONVEX: per position and head, {@code w = argmin_{w ∈ Δ} ½wᵀ(τI + μĜ)w − sᵀw} over the available
     * scales, solved by {@link ConvexAllocation#solve(Tensor, Tensor, Tensor, ConvexAllocation.Options)}
     * on the stacked {@code s [B, h, n, L]}, {@code Ĝ [B, h, n, L, L]} and mask {@code [B, h, n, L]}.
     *
     * @param u         L tensors {@code [B, h, n, d_h]}
     * @param available per scale a {@code boolean[n]} (null entry or null list: available everywhere)
     * @param a         utility weights {@code [L, h, d_h]}
     * @param b         utility biases {@code [L, h]}
     * @param options   τ, μ, solver and gradient mode
     * @return output {@code [B, h, n, d_h]}, aux 0, weights {@code [B, h, n, L]}, max KKT residual
     */
    public static Result convex(List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b,
                                ConvexAllocation.Options options) {
        return convex(u, available, a, b, options, null);
    }

    private static Result convex(List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b,
                                 ConvexAllocation.Options options, Tensor utilities) {
        String fn = "ScaleAggregator.convex";
        long[] shape = checkScales(fn, u);
        checkUtilityParameters(fn, u, shape, a, b);
        if (options == null) throw new IllegalArgumentException(fn + ": options are null");
        int L = u.size();
        boolean[] avail = availabilityTable(fn, available, L, shape[2]);
        Tensor s = utilities != null ? checkedUtilities(fn, utilities, shape, L) : utilities(u, avail, a, b);   // [B, h, n, L]
        Tensor gram = Tensor.apply(new ScaleOps.CosineGram(L, avail, GRAM_EPS), u.toArray(new Tensor[0])); // [B, h, n, L, L]
        ConvexAllocation.Solution sol = ConvexAllocation.solve(s, gram, solverMask(avail, shape, L), options);
        Tensor w = sol.weights();
        return new Result(mix(u, avail, w), Tensor.scalar(0, w.dtype()), w, OptionalDouble.of(sol.maxKktResidual()));
    }

    /**
     * NASH: per position and head, the contest equilibrium of the available scales with valuations
     * {@code v = softplus(s) + ε}, solved by
     * {@link ContestEquilibrium#solve(Tensor, Tensor, ContestEquilibrium.Options)} on the stacked
     * {@code v [B, h, n, L]} and mask {@code [B, h, n, L]}.
     *
     * @param u         L tensors {@code [B, h, n, d_h]}
     * @param available per scale a {@code boolean[n]} (null entry or null list: available everywhere)
     * @param a         utility weights {@code [L, h, d_h]}
     * @param b         utility biases {@code [L, h]}
     * @param epsilon   the valuation floor ε, finite and > 0
     * @param options   solver, iterations, damping and gradient mode
     * @return output {@code [B, h, n, d_h]}, aux 0, weights {@code [B, h, n, L]}, max equilibrium gap
     */
    public static Result nash(List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b, double epsilon,
                              ContestEquilibrium.Options options) {
        return nash(u, available, a, b, epsilon, options, null);
    }

    private static Result nash(List<Tensor> u, List<boolean[]> available, Tensor a, Tensor b, double epsilon,
                               ContestEquilibrium.Options options, Tensor utilities) {
        String fn = "ScaleAggregator.nash";
        long[] shape = checkScales(fn, u);
        checkUtilityParameters(fn, u, shape, a, b);
        int L = u.size();
        boolean[] avail = availabilityTable(fn, available, L, shape[2]);
        Tensor s = utilities != null ? checkedUtilities(fn, utilities, shape, L) : utilities(u, avail, a, b);
        ContestEquilibrium.Solution sol = nashSolution(fn, s, avail, shape, L, epsilon, options);
        Tensor w = sol.weights();
        return new Result(mix(u, avail, w), Tensor.scalar(0, w.dtype()), w, OptionalDouble.of(sol.maxGap()));
    }

    /** The contest equilibrium of the valuations {@code softplus(s) + ε} over the available scales. */
    private static ContestEquilibrium.Solution nashSolution(String fn, Tensor s, boolean[] avail, long[] shape, int L, double epsilon,
                                                            ContestEquilibrium.Options options) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(fn + ": epsilon ε = " + epsilon + " must be finite and > 0");
        }
        if (options == null) throw new IllegalArgumentException(fn + ": options are null");
        Tensor v = s.softplus().add(epsilon);                                   // [B, h, n, L]
        return ContestEquilibrium.solve(v, solverMask(avail, shape, L), options);
    }

    /**
     * The utilities {@code s_{l,i} = ⟨a_l, u_{l,i}⟩/√d_h + b_l} per head, {@code [B, h, n, L]}.
     *
     * @param u L tensors {@code [B, h, n, d_h]}
     * @param a {@code [L, h, d_h]}
     * @param b {@code [L, h]}
     */
    public static Tensor utilities(List<Tensor> u, Tensor a, Tensor b) {
        String fn = "ScaleAggregator.utilities";
        long[] shape = checkScales(fn, u);
        checkUtilityParameters(fn, u, shape, a, b);
        return utilities(u, null, a, b);
    }

    /**
     * The utilities {@code s_{l,i} = ⟨a_l, u_{l,i}⟩/√d_h + b_l} computed before upsampling: the dot products
     * run on the n_l rows of each scale's output {@code O_l}, are upsampled to n like the outputs (0 where
     * a scale is unavailable), and the biases are added. Every upsampled row is a copy of a coarse row (or
     * zero), so this equals {@link #utilities(List, Tensor, Tensor)} of the upsampled outputs, values and
     * gradients, while the dot products cover Σ_l n_l rows instead of L·n (1.9n instead of 4n for L = 4,
     * r = 2).
     *
     * @param coarse   the L scale outputs before upsampling, {@code [B, h, n_l, d_h]}
     * @param upsample level l's upsampling along axis 2: {@code [B, h, n_l, 1] → [B, h, n, 1]}
     * @param a        {@code [L, h, d_h]}
     * @param b        {@code [L, h]}
     * @return {@code [B, h, n, L]}
     */
    public static Tensor coarseUtilities(List<Tensor> coarse, java.util.function.BiFunction<Tensor, Integer, Tensor> upsample,
                                         Tensor a, Tensor b) {
        String fn = "ScaleAggregator.coarseUtilities";
        if (coarse == null || coarse.isEmpty()) throw new IllegalArgumentException(fn + ": no scale outputs");
        int L = coarse.size();
        Tensor o0 = coarse.get(0);
        if (o0.rank() != 4) throw new IllegalArgumentException(fn + ": scale outputs must be [B, h, n_l, d_h], got " + Arrays.toString(o0.shape()));
        long h = o0.size(1);
        long dh = o0.size(3);
        if (a == null || b == null || !Arrays.equals(a.shape(), new long[] {L, h, dh}) || !Arrays.equals(b.shape(), new long[] {L, h})) {
            throw new IllegalArgumentException(fn + ": a must be [L, h, d_h] = [" + L + ", " + h + ", " + dh + "] and b [L, h], got a "
                    + (a == null ? "null" : Arrays.toString(a.shape())) + ", b " + (b == null ? "null" : Arrays.toString(b.shape())));
        }
        Tensor noBias = Tensor.zeros(o0.dtype(), 1, h);
        Tensor[] dots = new Tensor[L];
        for (int l = 0; l < L; l++) {
            Tensor ol = coarse.get(l);
            if (ol.rank() != 4 || ol.size(1) != h || ol.size(3) != dh) {
                throw new IllegalArgumentException(fn + ": scale " + l + " output must be [B, " + h + ", n_l, " + dh + "], got " + Arrays.toString(ol.shape()));
            }
            Tensor dl = Tensor.apply(new ScaleOps.Utilities(1, null), ol, a.narrow(0, l, 1), noBias);   // [B, h, n_l, 1]
            dots[l] = upsample.apply(dl, l);                                                          // [B, h, n, 1]
        }
        Tensor stacked = Tensor.concat(3, dots);                                                      // [B, h, n, L]
        return stacked.add(b.transpose(0, 1).reshape(1, h, 1, L));
    }

    // ------------------------------------------------------------------ the reference code's modes

    /**
     * REFERENCE_SOFTMAX on whole concatenated-head outputs, as the reference code computes it: one
     * global {@code w = softmax(θ)} for every batch element and position, {@code A = Σ_l w_l U_l}, aux
     * loss {@code λ·‖w‖₁} (the constant λ up to rounding). Delegates to {@link ReferenceSoftmax}.
     * Position-wise, so it adds no leak of its own, but the reference's scale outputs are not causal.
     *
     * @param merged the L upsampled scale outputs, each {@code [B, n, d]}
     * @param logits θ, {@code [L]}
     * @param lambda λ, finite
     * @return output {@code [B, n, d]}, aux {@code λ·‖w‖₁} (rank 0), weights {@code [L]}, no certificate
     */
    public static Result referenceSoftmax(List<Tensor> merged, Tensor logits, double lambda) {
        checkMerged("ScaleAggregator.referenceSoftmax", merged);
        ReferenceSoftmax.Result r = ReferenceSoftmax.aggregate(merged, logits, lambda);
        return new Result(r.output(), r.auxLoss(), r.weights(), OptionalDouble.empty());
    }

    /**
     * REFERENCE_CONSENSUS on whole concatenated-head outputs, as the reference code computes it: per
     * batch element, {@code iterations} rounds of {@code w ← softmax(−e)}, {@code e_l = ‖U_l − Σ_k w_k U_k‖_F}
     * over the whole {@code (n, d)} slice, from {@code w = 1/L}. Delegates to {@link ReferenceConsensus}.
     * <b>Not causal</b>: every output position depends on every position of its sequence.
     *
     * @param merged     the L upsampled scale outputs, each {@code [B, n, d]}
     * @param iterations rounds, ≥ 0 (the reference uses 3)
     * @return output {@code [B, n, d]}, aux 0 (rank 0), weights {@code [B, L]}, no certificate
     */
    public static Result referenceConsensus(List<Tensor> merged, int iterations) {
        checkMerged("ScaleAggregator.referenceConsensus", merged);
        ReferenceConsensus.Result r = ReferenceConsensus.aggregate(merged, iterations);
        return new Result(r.output(), Tensor.scalar(0, merged.get(0).dtype()), r.weights(), OptionalDouble.empty());
    }

    // ------------------------------------------------------------------ availability

    /**
     * A BOOL (or numeric, nonzero = available) availability array of rank 1, {@code [n]}, as the
     * {@code boolean[n]} the aggregation functions take; {@code null} stays {@code null}.
     */
    public static boolean[] availability(INDArray mask) {
        if (mask == null) return null;
        if (mask.rank() != 1) {
            throw new IllegalArgumentException("ScaleAggregator.availability: mask must have shape [n], got "
                    + Arrays.toString(mask.shape()));
        }
        INDArray d = mask.castTo(DataType.DOUBLE);
        boolean[] out = new boolean[(int) mask.length()];
        for (int i = 0; i < out.length; i++) out[i] = d.getDouble(i) != 0;
        if (d != mask) d.close();
        return out;
    }

    /** {@link #availability(INDArray)} of each scale's array (null entries stay null). */
    public static List<boolean[]> availability(List<INDArray> masks) {
        if (masks == null) return null;
        List<boolean[]> out = new ArrayList<>(masks.size());
        for (INDArray m : masks) out.add(availability(m));
        return out;
    }

    // ------------------------------------------------------------------ internals

    /** {@code s} when it is {@code [B, h, n, L]} for scale outputs of {@code shape}; else an exception naming fn. */
    private static Tensor checkedUtilities(String fn, Tensor s, long[] shape, int L) {
        long[] want = {shape[0], shape[1], shape[2], L};
        if (!Arrays.equals(s.shape(), want)) {
            throw new IllegalArgumentException(fn + ": precomputed utilities must be " + Arrays.toString(want) + ", got " + Arrays.toString(s.shape()));
        }
        return s;
    }

    /** The utilities op on u, a, b: {@code [B, h, n, L]}. */
    private static Tensor utilities(List<Tensor> u, boolean[] avail, Tensor a, Tensor b) {
        Tensor[] in = u.toArray(new Tensor[u.size() + 2]);
        in[u.size()] = a;
        in[u.size() + 1] = b;
        return Tensor.apply(new ScaleOps.Utilities(u.size(), avail), in);
    }

    /** The mixture op {@code Σ_l w_l u_l} over the available scales: {@code [B, h, n, d_h]}. */
    private static Tensor mix(List<Tensor> u, boolean[] avail, Tensor weights) {
        Tensor[] in = u.toArray(new Tensor[u.size() + 1]);
        in[u.size()] = weights;
        return Tensor.apply(UpsampledMix.samePositions(Math.toIntExact(u.get(0).size(2)), u.size(), avail), in);
    }

    /** The solvers' mask {@code [B, h, n, L]} (BOOL), or null when every scale is available everywhere. */
    private static Tensor solverMask(boolean[] avail, long[] shape, int L) {
        if (avail == null) return null;
        long bh = shape[0] * shape[1];
        boolean[] full = new boolean[Math.toIntExact(bh * avail.length)];
        for (long k = 0; k < bh; k++) System.arraycopy(avail, 0, full, (int) (k * avail.length), avail.length);
        return Tensor.owning(Nd4j.create(full, new long[] {shape[0], shape[1], shape[2], L}, DataType.BOOL));
    }

    /**
     * The availability as a row-major {@code [n, L]} table, or null when every scale is available at
     * every position.
     */
    private static boolean[] availabilityTable(String fn, List<boolean[]> available, int L, long n) {
        if (available == null) return null;
        if (available.size() != L) {
            throw new IllegalArgumentException(fn + ": available has " + available.size() + " entries but u has L = "
                    + L + " scales; give one boolean[n] (or null) per scale");
        }
        boolean all = true;
        for (int l = 0; l < L; l++) {
            boolean[] m = available.get(l);
            if (m == null) continue;
            if (m.length != n) {
                throw new IllegalArgumentException(fn + ": available." + l + " has length " + m.length
                        + " but u has n = " + n + " positions");
            }
            for (boolean x : m) all &= x;
        }
        if (all) return null;
        boolean[] table = new boolean[Math.toIntExact(n * L)];
        for (int l = 0; l < L; l++) {
            boolean[] m = available.get(l);
            for (int i = 0; i < n; i++) table[i * L + l] = m == null || m[i];
        }
        return table;
    }

    /** Checks the per-head scale outputs and returns their common shape {@code [B, h, n, d_h]}. */
    private static long[] checkScales(String fn, List<Tensor> u) {
        if (u == null || u.isEmpty()) {
            throw new IllegalArgumentException(fn + ": u must hold at least one scale output [B, h, n, d_h]");
        }
        Tensor first = u.get(0);
        if (first == null) throw new IllegalArgumentException(fn + ": u.0 is null");
        long[] shape = first.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(fn + ": u.0 must have shape [B, h, n, d_h], got " + Arrays.toString(shape));
        }
        if (!first.dtype().isFPType()) {
            throw new IllegalArgumentException(fn + ": u.0 has data type " + first.dtype() + "; need FLOAT or DOUBLE");
        }
        for (int l = 1; l < u.size(); l++) {
            Tensor t = u.get(l);
            if (t == null) throw new IllegalArgumentException(fn + ": u." + l + " is null");
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(fn + ": u." + l + " has shape " + Arrays.toString(t.shape())
                        + ", but u.0 has " + Arrays.toString(shape) + "; all scales must share [B, h, n, d_h]");
            }
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException(fn + ": u." + l + " is " + t.dtype() + " but u.0 is " + first.dtype());
            }
        }
        return shape;
    }

    /** Checks {@code a [L, h, d_h]} and {@code b [L, h]} against u. */
    private static void checkUtilityParameters(String fn, List<Tensor> u, long[] shape, Tensor a, Tensor b) {
        long[] wantA = {u.size(), shape[1], shape[3]};
        long[] wantB = {u.size(), shape[1]};
        String from = " (L = " + u.size() + " scales in u, h = " + shape[1] + " and d_h = " + shape[3]
                + " from u.0 " + Arrays.toString(shape) + ")";
        if (a == null) throw new IllegalArgumentException(fn + ": a is null; expected shape [L, h, d_h] = "
                + Arrays.toString(wantA) + from);
        if (b == null) throw new IllegalArgumentException(fn + ": b is null; expected shape [L, h] = "
                + Arrays.toString(wantB) + from);
        if (!Arrays.equals(a.shape(), wantA)) {
            throw new IllegalArgumentException(fn + ": a has shape " + Arrays.toString(a.shape())
                    + ", expected [L, h, d_h] = " + Arrays.toString(wantA) + from);
        }
        if (!Arrays.equals(b.shape(), wantB)) {
            throw new IllegalArgumentException(fn + ": b has shape " + Arrays.toString(b.shape())
                    + ", expected [L, h] = " + Arrays.toString(wantB) + from);
        }
        DataType dt = u.get(0).dtype();
        if (a.dtype() != dt || b.dtype() != dt) {
            throw new IllegalArgumentException(fn + ": a is " + a.dtype() + " and b is " + b.dtype()
                    + " but u is " + dt + "; all must share one data type");
        }
    }

    /** Checks the merged-head outputs of the reference entry points, {@code [B, n, d]} each, equal shapes. */
    private static void checkMerged(String fn, List<Tensor> merged) {
        if (merged == null || merged.isEmpty()) {
            throw new IllegalArgumentException(fn + ": merged must hold at least one scale output [B, n, d]");
        }
        long[] shape = null;
        for (int l = 0; l < merged.size(); l++) {
            Tensor t = merged.get(l);
            if (t == null) throw new IllegalArgumentException(fn + ": merged." + l + " is null");
            if (t.rank() != 3) {
                throw new IllegalArgumentException(fn + ": merged." + l + " must have shape [B, n, d], got "
                        + Arrays.toString(t.shape()));
            }
            if (shape == null) {
                shape = t.shape();
            } else if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(fn + ": merged." + l + " has shape " + Arrays.toString(t.shape())
                        + ", but merged.0 has " + Arrays.toString(shape) + "; all scales must share [B, n, d]");
            }
        }
    }

    /** {@code [B, h, n, d_h]} → {@code [B, n, h·d_h]} for each scale (head k in columns {@code [k·d_h, (k+1)·d_h)}). */
    private static List<Tensor> mergeHeads(List<Tensor> u) {
        List<Tensor> out = new ArrayList<>(u.size());
        for (Tensor t : u) {
            long[] s = t.shape();
            out.add(t.permute(0, 2, 1, 3).reshape(s[0], s[2], s[1] * s[3]));
        }
        return out;
    }

    /** {@code [B, n, h·d_h]} → {@code [B, h, n, d_h]}. */
    private static Tensor splitHeads(Tensor merged, long[] shape) {
        return merged.reshape(shape[0], shape[2], shape[1], shape[3]).permute(0, 2, 1, 3);
    }
}
