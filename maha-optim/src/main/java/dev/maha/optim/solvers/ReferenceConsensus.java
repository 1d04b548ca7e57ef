package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The public MAHA reference code's "Nash" aggregation, number for number (spec §4.5). It is not a game
 * equilibrium (see {@link ContestEquilibrium} for that) but a few rounds of consensus re-weighting, per
 * batch element {@code b}: start from {@code w = 1/L}, then repeat
 * <pre>
 *   S   = Σ_l w_l·U_l                                (the current consensus, [n, d])
 *   e_l = sqrt(Σ_{i,j} (U_l[i,j] − S[i,j])²)         (Frobenius norm over the whole slice, not squared)
 *   w   = softmax_l(−e)
 * </pre>
 * and return {@code A = Σ_l w_l·U_l}. Scales far from the consensus lose weight at each round.
 *
 * <p><b>Not causal:</b> one weight per batch element and scale is computed from the norms over the
 * whole sequence, so every output position depends on every position, future ones included. The
 * weights also saturate towards one-hot as the norms grow with the sequence length. The gradient flows
 * through every round ({@code ∂e_l/∂U_l = (U_l − S)/e_l}; it is infinite where {@code e_l = 0}, as in
 * PyTorch). Composed from engine ops, so autograd differentiates it.
 */
public final class ReferenceConsensus {
    /** Name used in error messages. */
    public static final String NAME = "reference_consensus";

    /** The reference code's number of rounds. */
    public static final int DEFAULT_ITERATIONS = 3;

    private ReferenceConsensus() {
    }

    /**
     * The aggregation's results.
     *
     * @param output  {@code A}, {@code [B, n, d]}
     * @param weights the final weights, {@code [B, L]}
     * @param errors  {@code e} of each round, {@code [B, L]} each (for debugging)
     * @param history {@code w} after each round, {@code [B, L]} each; the last equals {@code weights}
     */
    public record Result(Tensor output, Tensor weights, List<Tensor> errors, List<Tensor> history) {
    }

    /** {@link #aggregate(List, int)} with the reference's {@value #DEFAULT_ITERATIONS} rounds. */
    public static Result aggregate(List<Tensor> upsampled) {
        return aggregate(upsampled, DEFAULT_ITERATIONS);
    }

    /**
     * @param upsampled  the L scale outputs at full length, each {@code [B, n, d]}, equal shapes
     * @param iterations rounds of re-weighting, ≥ 0 (0 gives the plain mean)
     */
    public static Result aggregate(List<Tensor> upsampled, int iterations) {
        int L = ReferenceInputs.check(NAME, upsampled);
        if (iterations < 0) {
            throw new IllegalArgumentException(NAME + ": iterations = " + iterations + " must be ≥ 0");
        }
        Tensor u = Tensor.stack(1, upsampled.toArray(new Tensor[0]));       // [B, L, n, d]
        long batch = u.size(0);
        Tensor w = Tensor.full(1.0 / L, u.dtype(), batch, L);
        List<Tensor> errors = new ArrayList<>();
        List<Tensor> history = new ArrayList<>();
        for (int t = 0; t < iterations; t++) {
            Tensor s = mix(u, w, batch, L);                                   // [B, n, d]
            Tensor diff = u.sub(s.unsqueeze(1));                              // [B, L, n, d]
            Tensor e = diff.mul(diff).sum(false, 2, 3).sqrt();                // [B, L]
            w = e.neg().softmax(-1);
            errors.add(e);
            history.add(w);
        }
        return new Result(mix(u, w, batch, L), w, List.copyOf(errors), List.copyOf(history));
    }

    /** {@code Σ_l w[b, l]·u[b, l]}: {@code [B, L, n, d]} and {@code [B, L]} → {@code [B, n, d]}. */
    private static Tensor mix(Tensor u, Tensor w, long batch, int L) {
        return u.mul(w.reshape(batch, L, 1, 1)).sum(false, 1);
    }
}
