package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scales as players of a proportional (Tullock) contest for a unit budget, solved to its pure Nash
 * equilibrium, as a differentiable op (spec §4.3).
 *
 * <p>Each available scale {@code l} of an instance has a valuation {@code v_l > 0}, bids {@code b_l ≥ 0}
 * and receives the share {@code w_l = b_l/Σ_k b_k}; its payoff is {@code π_l = v_l·w_l − b_l}. The
 * equilibrium exists and is unique; with the valuations sorted decreasingly, it is active on the top
 * {@code m} players for the largest {@code m} with {@code v_(m) > (m − 1)/Σ_{j≤m} 1/v_(j)}, where
 * {@code Σb = B = (m − 1)/Σ_{j∈A} 1/v_j} and {@code w_l = 1 − B/v_l} (0 off A). Two players share in
 * proportion to their valuations, {@code w_1 = v_1/(v_1 + v_2)}; weak players get exactly 0.
 *
 * <pre>{@code
 * Tensor v = s.softplus().add(1e-6);                 // [..., L], valuations > 0
 * ContestEquilibrium.Solution sol = ContestEquilibrium.solve(v, mask, ContestEquilibrium.Options.exact());
 * Tensor w = sol.weights();                          // [..., L], on the simplex, differentiable
 * double worst = sol.maxGap();                       // certificate, ≈ 1e-16 for EXACT
 * }</pre>
 *
 * <p><b>Shapes.</b> Valuations {@code [..., L]}, any number of leading axes; each row of the last axis
 * is one instance. The optional availability mask has the same shape (BOOL, or numbers where nonzero
 * means available). Unavailable scales are removed from the game and get weight 0; their values are
 * only checked to be finite. An instance with one available scale returns weight 1 on it, and one with
 * none returns all zeros; both have gradient 0. Float32 and float64 inputs are accepted; the solve
 * runs in double and the weights come back in the input's data type.
 *
 * <p><b>Solvers.</b> {@link Solver#EXACT}: the sorted active set and the closed form, O(L log L) per
 * instance. {@link Solver#BEST_RESPONSE}: {@code K} steps of damped simultaneous best response
 * {@code b ← (1 − η)·b + η·BR(b)}, {@code BR_l(b) = max(0, √(v_l S_{−l}) − S_{−l})} with the others' total
 * {@code S_{−l}}, started from {@code b_l = v_l·(n − 1)/n²} for {@code n} available players (the bid of
 * the symmetric equilibrium at the player's own valuation), then {@code w = b/Σb}. See
 * {@link Options#DEFAULT_DAMPING} for when these dynamics converge.
 *
 * <p><b>Certificate.</b> The equilibrium gap {@code max_l [max_{b'} π_l(b', b_{−l}) − π_l(b)] / max_l v_l}
 * of the bids (for EXACT the bids {@code b_l = w_l·B}): the largest gain a player could still make by
 * changing its bid, relative to the largest valuation. Zero at the equilibrium; 0 with fewer than two
 * players.
 *
 * <p><b>Gradients</b> ({@link GradientMode}). IMPLICIT: the closed-form derivative of the equilibrium
 * on the active set A, {@code ∂w_l/∂v_k = δ_lk·B/v_l² − (1/v_l)·B²/((m − 1)·v_k²)} on A and 0 off A. For
 * BEST_RESPONSE, A is read off the final bids (players with {@code v_l > S_{−l}}, whose best response is
 * positive): the gradient of the equilibrium the dynamics approach, exact once they have converged, and
 * 0 if fewer than two players are active at the final bids. UNROLLED: for BEST_RESPONSE, the reverse
 * sweep through the recorded iterations (the {@code max(0, ·)} kinks, the damping and the final
 * normalization): the exact gradient of the K-step output, at a memory cost of {@code 8·L·(K + 1)}
 * bytes per instance. For EXACT there are no iterations and UNROLLED is the same closed form.
 *
 * <p>Inputs are validated: NaN or ±Inf valuations, valuations ≤ 0 at available positions, or a mask
 * of another shape throw {@link IllegalArgumentException} naming {@value #NAME}, the field and the value.
 */
public final class ContestEquilibrium {
    /** The solver's name in error messages and FLOP reports. */
    public static final String NAME = "contest_equilibrium";

    private ContestEquilibrium() {
    }

    /** How the equilibrium is computed. */
    public enum Solver {
        /** Sorted active set and closed form; the certificate is at rounding level. */
        EXACT,
        /** Damped best-response dynamics for a fixed number of iterations. */
        BEST_RESPONSE
    }

    /** Solves every instance of {@code v} {@code [..., L]}, all scales available. */
    public static Solution solve(Tensor v, Options options) {
        return solve(v, null, options);
    }

    /**
     * Solves every instance of {@code v} {@code [..., L]}.
     *
     * @param v       valuations {@code [..., L]}, finite and {@code > 0} where available
     * @param mask    availability {@code [..., L]} (BOOL or 0/1), or null for all available
     * @param options solver, iterations, damping and gradient mode
     */
    public static Solution solve(Tensor v, Tensor mask, Options options) {
        Objects.requireNonNull(v, NAME + ": valuations v must not be null");
        Objects.requireNonNull(options, NAME + ": options must not be null");
        ContestOp op = new ContestOp(options, mask == null ? null : mask.value());
        Tensor w = Tensor.apply(op, v);
        long[] shape = v.shape();
        return new Solution(w, op.gaps(), Arrays.copyOf(shape, shape.length - 1));
    }

    /** The result: weights (differentiable) and the per-instance certificate. */
    public static final class Solution {
        private final Tensor weights;
        private final double[] gaps;
        private final long[] gapShape;

        Solution(Tensor weights, double[] gaps, long[] gapShape) {
            this.weights = weights;
            this.gaps = gaps;
            this.gapShape = gapShape;
        }

        /** The equilibrium shares {@code [..., L]}, on the simplex of the available scales (or all 0). */
        public Tensor weights() {
            return weights;
        }

        /**
         * The equilibrium gap of each instance, float64 {@code [...]} (the leading axes; rank 0 for a
         * single instance). A new array on each call, owned by the caller.
         */
        public INDArray gap() {
            if (gapShape.length == 0) return Nd4j.scalar(DataType.DOUBLE, gaps[0]);
            return Nd4j.create(gaps.clone(), gapShape, DataType.DOUBLE);
        }

        /** The largest gap over the batch (0 for an empty batch). */
        public double maxGap() {
            double m = 0;
            for (double g : gaps) m = Math.max(m, g);
            return m;
        }
    }

    /**
     * Immutable solver settings, validated when built. Start from {@link #exact()} or
     * {@link #bestResponse()} and adjust with the {@code with…} methods.
     */
    public static final class Options {
        /** Default number of best-response iterations K. */
        public static final int DEFAULT_ITERATIONS = 50;

        /**
         * Default damping {@code η = 0.2} of the best-response dynamics.
         *
         * <p>Why damping, and why this value: near the equilibrium the simultaneous best response has the
         * Jacobian {@code J_lk = c_l} ({@code k ≠ l}, both in A) with {@code c_l = v_l/(2B) − 1}, and the
         * damped step {@code (1 − η)·I + η·J} contracts iff every eigenvalue λ of J satisfies
         * {@code |1 − η + η·λ| < 1}. Two families bound the choice. (1) {@code m} equal valuations:
         * {@code λ = −(m − 2)/2}, so {@code η < 4/m}; plain best response ({@code η = 1}) keeps
         * oscillating around nearly equal valuations for {@code m ≥ 4}, and L = 16 needs {@code η < 1/4}. (2) Two players with ratio
         * {@code r = v_1/v_2}: {@code λ = ±i·(r − 1)/(2√r)}, so {@code η < 8r/(r + 1)²}. At
         * {@code η = 0.2} every equal-valuation game up to L = 16 contracts (by at least 0.6 per step
         * on that mode), as does every game whose active players lie within a factor 10 of each other
         * (checked numerically on one-strong/many-weak instances, the worst family found). The slowest
         * mode then shrinks by about 0.87 to 0.9 per step (near-equal valuations also have
         * {@code λ = (m − 2)/(2(m − 1))}, giving {@code 1 − 0.2·(1 − λ) ≈ 0.89} at m = 16): on
         * valuations {@code softplus(N(0, 1))} the weights are within about 1e-4 of the equilibrium
         * (worst measured 5e-4) after the default {@code K = 50}, 1e-6 after 100 and at rounding level
         * after 300. Wider spreads among the active players need a smaller
         * η (and more iterations): two players at {@code r = 100} need {@code η < 0.078}. Players far
         * below the active set never matter: their best response is 0 and their bids decay by
         * {@code 1 − η} per step. For accurate weights use {@link Solver#EXACT}.
         */
        public static final double DEFAULT_DAMPING = 0.2;

        private final Solver solver;
        private final int iterations;
        private final double damping;
        private final GradientMode gradient;

        private Options(Solver solver, int iterations, double damping, GradientMode gradient) {
            if (solver == null) throw new IllegalArgumentException(NAME + ": solver must not be null");
            if (gradient == null) throw new IllegalArgumentException(NAME + ": gradient mode must not be null");
            if (iterations < 1) {
                throw new IllegalArgumentException(NAME + ": iterations K = " + iterations + " must be ≥ 1");
            }
            if (!(damping > 0 && damping <= 1)) {
                throw new IllegalArgumentException(NAME + ": damping η = " + damping + " must lie in (0, 1]");
            }
            this.solver = solver;
            this.iterations = iterations;
            this.damping = damping;
            this.gradient = gradient;
        }

        /** The exact solver with the (closed-form) IMPLICIT gradient. */
        public static Options exact() {
            return new Options(Solver.EXACT, DEFAULT_ITERATIONS, DEFAULT_DAMPING, GradientMode.IMPLICIT);
        }

        /** Best response, {@link #DEFAULT_ITERATIONS} steps, {@link #DEFAULT_DAMPING}, UNROLLED gradient. */
        public static Options bestResponse() {
            return new Options(Solver.BEST_RESPONSE, DEFAULT_ITERATIONS, DEFAULT_DAMPING, GradientMode.UNROLLED);
        }

        /** Best response with {@code iterations} steps of damping {@code damping}, UNROLLED gradient. */
        public static Options bestResponse(int iterations, double damping) {
            return new Options(Solver.BEST_RESPONSE, iterations, damping, GradientMode.UNROLLED);
        }

        /** A copy with {@code K} best-response iterations, {@code K ≥ 1}. */
        public Options withIterations(int iterations) {
            return new Options(solver, iterations, damping, gradient);
        }

        /** A copy with damping {@code η ∈ (0, 1]}. */
        public Options withDamping(double damping) {
            return new Options(solver, iterations, damping, gradient);
        }

        /** A copy with another gradient mode. */
        public Options withGradient(GradientMode gradient) {
            return new Options(solver, iterations, damping, gradient);
        }

        /** The solver. */
        public Solver solver() {
            return solver;
        }

        /** Best-response iterations K (unused by EXACT). */
        public int iterations() {
            return iterations;
        }

        /** Best-response damping η (unused by EXACT). */
        public double damping() {
            return damping;
        }

        /** The backward mode. */
        public GradientMode gradient() {
            return gradient;
        }

        @Override
        public String toString() {
            return solver == Solver.EXACT ? "Options(EXACT, " + gradient + ")"
                    : "Options(BEST_RESPONSE, K=" + iterations + ", η=" + damping + ", " + gradient + ")";
        }
    }
}
