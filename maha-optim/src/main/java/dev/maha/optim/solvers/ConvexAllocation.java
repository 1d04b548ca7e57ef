package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The planner's resource allocation of MAHA §4.2, a convex QP on the simplex per instance:
 * <pre>
 *   w = argmin_{w ∈ Δ}  ½ wᵀ P w − sᵀ w,    P = τ I + μ Ĝ,   Ĝ = (G + Gᵀ)/2
 * </pre>
 * for utilities {@code s [..., L]} and a Gram matrix {@code G [..., L, L]} (the cosine-similarity
 * Gram of the scales' outputs, computed by the caller with engine ops, so that gradients flow into
 * it through this op). The objective only sees the symmetric part of G, so Ĝ is used throughout;
 * for a symmetric G it is G itself.
 *
 * <pre>{@code
 * ConvexAllocation.Solution sol = ConvexAllocation.solve(s, gram, mask, ConvexAllocation.Options.exact());
 * sol.weights();           // Tensor [..., L], differentiable w.r.t. s and gram
 * sol.kktResidual();       // INDArray [...], float64: the per-instance certificate
 * sol.maxKktResidual();    // its maximum, for logging and tests
 * }</pre>
 *
 * <p>Unique solution: Ĝ is positive semidefinite and τ > 0, so P is positive definite and the
 * objective strictly convex on the compact convex simplex. P is checked by a Cholesky factorization
 * of each instance (an {@link IllegalArgumentException} names the instance otherwise). With μ = 0
 * the solution is exactly {@code sparsemax(s/τ)}. Solutions are sparse (exact zeros).
 *
 * <p>Mask: optional availability mask {@code [..., L]} (BOOL, or numeric with nonzero =
 * available) of the shape of s. Unavailable scales are removed from the problem (their rows and
 * columns of G are ignored), get weight 0 and gradient 0. One available scale gives w = 1 (gradient
 * 0); none gives all zeros (gradient 0, certificate 0).
 *
 * <p>Solvers ({@link Solver}):
 * <ul>
 *   <li>{@code ACTIVE_SET}, exact: a primal active-set method. It starts from
 *       {@code Π_Δ(ŝ / max_i P_ii)} (exact when μ = 0), solves the equality-constrained problem on
 *       the current support through the bordered system {@code [P_AA 1; 1ᵀ 0][w_A; ν] = [ŝ_A; 1]}
 *       (Cholesky of P_AA), steps back to feasibility and drops a scale when a weight would turn
 *       negative, adds the scale with the most negative multiplier otherwise, and stops when every
 *       multiplier is ≥ −1e-13 (relative). Certificates are ~1e-16 in practice.</li>
 *   <li>{@code FISTA}: accelerated projected gradient (Beck–Teboulle momentum) from the uniform
 *       point, step {@code 1/ℓ} with {@code ℓ = max_i Σ_j |P_ij|} (the largest absolute row sum, a
 *       cheap upper bound of ‖P‖₂ for symmetric P), sort-based simplex projection at every step;
 *       K iterations, or fewer when a tolerance is set and the certificate reaches it.</li>
 * </ul>
 *
 * <p>Gradients ({@link GradientMode}), with respect to both s and gram:
 * <ul>
 *   <li>{@code IMPLICIT}: the KKT conditions at the returned solution, differentiated on its
 *       support A = {i : w_i > 0} (assumed stable): {@code [P_AA 1; 1ᵀ 0][a; b] = [g_A; 0]} gives
 *       {@code ∂L/∂s_A = a}, {@code ∂L/∂P_AA = −a w_Aᵀ}, so {@code ∂L/∂G = −(μ/2)(a w_Aᵀ + w_A aᵀ)}
 *       on A×A (symmetric, through Ĝ) and 0 elsewhere. Cost: one small Cholesky per instance,
 *       independent of K. Exact for the exact solver; for FISTA it is the gradient of the limit,
 *       good once the iterates have converged.</li>
 *   <li>{@code UNROLLED} (FISTA): the reverse sweep through the K recorded iterations: the
 *       projection's Jacobian at every step, the momentum terms and the step size 1/ℓ (through
 *       the max row sum). It is the exact derivative of the K-th iterate, converged or not. The
 *       backward replays each instance's iterations (same code, bit-identical iterates) so memory
 *       stays O(K·L) for one instance at a time. The exact solver has no iterations to unroll (its
 *       steps are discrete choices of the support, then one linear solve), so {@code ACTIVE_SET}
 *       with {@code UNROLLED} gives the {@code IMPLICIT} gradient, which is then the exact
 *       derivative of the returned solution.</li>
 * </ul>
 *
 * <p>Certificate (per instance, over its available scales): with {@code ŝ = s − max s},
 * {@code r = Pw − ŝ}, the multiplier {@code ν = −Σ w_i² r_i / Σ w_i²} (stationarity fitted on the
 * support), {@code λ = r + ν1} and {@code σ_i = max_jk |P_jk| + |ŝ_i|},
 * <pre>
 *   max( |1ᵀw − 1|,  max_i max(0, −w_i),  max_i max(0, −λ_i)/σ_i,  max_i |w_i λ_i|/σ_i )
 * </pre>
 * (primal feasibility, dual feasibility λ ≥ 0, complementarity λ ⊙ w = 0; stationarity holds by
 * the definition of λ). It is 0 exactly at the solution, invariant under scaling (s, τ, μG)
 * together, and each multiplier term is measured against the size of the numbers it is computed
 * from, so rounding contributes a few ulps at any magnitude of the inputs.
 *
 * <p>Inputs float32 or float64 (both of one type); the math is in double and the weights have the
 * input's type. NaN/Inf inputs, bad options and mismatched shapes throw
 * {@link IllegalArgumentException}s that start with {@code "convex_allocation: "}.
 */
public final class ConvexAllocation {
    /** Name used by errors and FLOP reports. */
    public static final String NAME = "convex_allocation";

    private ConvexAllocation() {
    }

    /** The algorithm of the forward solve. */
    public enum Solver {
        /** Accelerated projected gradient, K iterations (or until the certificate ≤ tolerance). */
        FISTA,
        /** Exact primal active-set method (L ≤ 16). */
        ACTIVE_SET
    }

    /** Solves every instance {@code s[..., :]}, {@code gram[..., :, :]} with all scales available. */
    public static Solution solve(Tensor s, Tensor gram, Options options) {
        return solve(s, gram, null, options);
    }

    /**
     * Solves every instance over its available scales.
     *
     * @param s       utilities {@code [..., L]}
     * @param gram    Gram matrices {@code [..., L, L]}, positive semidefinite, same data type as s
     * @param mask    availability {@code [..., L]} (BOOL or 0/1), or null for all available
     * @param options tau, mu, solver, iterations, tolerance, gradient mode
     */
    public static Solution solve(Tensor s, Tensor gram, Tensor mask, Options options) {
        if (s == null) throw new IllegalArgumentException(NAME + ": s is null");
        if (gram == null) throw new IllegalArgumentException(NAME + ": gram is null");
        if (options == null) throw new IllegalArgumentException(NAME + ": options is null");
        long[] shape = s.shape();
        boolean[] available = mask == null ? null : Instances.mask(NAME, mask.value(), shape);
        ConvexAllocationOp op = new ConvexAllocationOp(options, available);
        Tensor w = Tensor.apply(op, s, gram);
        return new Solution(w, op.residuals(), Arrays.copyOf(shape, Math.max(0, shape.length - 1)));
    }

    /**
     * Immutable, validated options. Defaults: τ = 1; μ = 0.5 (a cosine Gram has unit diagonal, so a
     * scale's own redundancy term is half its ridge term, and two identical scales are penalised
     * like one scale with a 50% stronger ridge: redundancy matters without dominating the
     * utilities); solver ACTIVE_SET; K = 100 iterations, tolerance 0 (run all K) for FISTA;
     * gradient IMPLICIT.
     */
    public static final class Options {
        private final double tau;
        private final double mu;
        private final Solver solver;
        private final int iterations;
        private final double tolerance;
        private final GradientMode gradientMode;

        private Options(double tau, double mu, Solver solver, int iterations, double tolerance, GradientMode gradientMode) {
            if (!(tau > 0) || !Double.isFinite(tau)) {
                throw new IllegalArgumentException(NAME + ": tau τ = " + tau + " must be finite and > 0");
            }
            if (!(mu >= 0) || !Double.isFinite(mu)) {
                throw new IllegalArgumentException(NAME + ": mu μ = " + mu + " must be finite and >= 0");
            }
            if (solver == null) throw new IllegalArgumentException(NAME + ": solver = null; choose FISTA or ACTIVE_SET");
            if (iterations < 1) {
                throw new IllegalArgumentException(NAME + ": iterations K = " + iterations + " must be >= 1");
            }
            if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
                throw new IllegalArgumentException(NAME + ": tolerance = " + tolerance
                        + " must be finite and >= 0 (0 runs all K iterations)");
            }
            if (gradientMode == null) {
                throw new IllegalArgumentException(NAME + ": gradientMode = null; choose UNROLLED or IMPLICIT");
            }
            this.tau = tau;
            this.mu = mu;
            this.solver = solver;
            this.iterations = iterations;
            this.tolerance = tolerance;
            this.gradientMode = gradientMode;
        }

        /** The exact solver with the implicit gradient, τ = 1, μ = 0.5. */
        public static Options exact() {
            return new Options(1, 0.5, Solver.ACTIVE_SET, 100, 0, GradientMode.IMPLICIT);
        }

        /** FISTA for {@code iterations} iterations with the unrolled gradient, τ = 1, μ = 0.5. */
        public static Options fista(int iterations) {
            return new Options(1, 0.5, Solver.FISTA, iterations, 0, GradientMode.UNROLLED);
        }

        /** Same as {@link #exact()}. */
        public static Options defaults() {
            return exact();
        }

        /** A copy with ridge τ (> 0). */
        public Options withTau(double tau) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /** A copy with redundancy weight μ (≥ 0). */
        public Options withMu(double mu) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /** A copy with another solver. */
        public Options withSolver(Solver solver) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /** A copy with K (≥ 1) FISTA iterations (ignored by ACTIVE_SET). */
        public Options withIterations(int iterations) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /**
         * A copy where FISTA stops at the first iterate whose certificate is ≤ {@code tolerance}
         * (≥ 0; 0 runs all K iterations; ignored by ACTIVE_SET). The check costs one extra
         * matrix-vector product per iteration.
         */
        public Options withTolerance(double tolerance) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /** A copy with another gradient mode. */
        public Options withGradientMode(GradientMode gradientMode) {
            return new Options(tau, mu, solver, iterations, tolerance, gradientMode);
        }

        /** Ridge τ. */
        public double tau() {
            return tau;
        }

        /** Redundancy weight μ. */
        public double mu() {
            return mu;
        }

        /** The forward solver. */
        public Solver solver() {
            return solver;
        }

        /** FISTA's iteration budget K. */
        public int iterations() {
            return iterations;
        }

        /** FISTA's early-stopping certificate level (0 = none). */
        public double tolerance() {
            return tolerance;
        }

        /** The backward mode. */
        public GradientMode gradientMode() {
            return gradientMode;
        }

        @Override
        public String toString() {
            return "ConvexAllocation.Options[τ=" + tau + ", μ=" + mu + ", solver=" + solver
                    + (solver == Solver.FISTA ? ", K=" + iterations + ", tolerance=" + tolerance : "")
                    + ", gradient=" + gradientMode + "]";
        }
    }

    /** The weights and their per-instance certificate. */
    public static final class Solution {
        private final Tensor weights;
        private final double[] residuals;
        private final long[] batchShape;

        private Solution(Tensor weights, double[] residuals, long[] batchShape) {
            this.weights = weights;
            this.residuals = residuals;
            this.batchShape = batchShape;
        }

        /** The weights {@code [..., L]} (input data type), differentiable w.r.t. s and gram. */
        public Tensor weights() {
            return weights;
        }

        /**
         * The KKT certificate per instance, {@code [...]} (the batch shape; rank 0 for a single
         * instance), float64. A new array on each call; the caller owns it.
         */
        public INDArray kktResidual() {
            return Instances.write(residuals, batchShape, DataType.DOUBLE);
        }

        /** The largest per-instance certificate (0 for an empty batch). */
        public double maxKktResidual() {
            double max = 0;
            for (double r : residuals) max = Math.max(max, r);
            return max;
        }
    }
}
