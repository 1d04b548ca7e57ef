package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.List;

/**
 * The public MAHA reference code's "convex" aggregation, number for number (spec §4.5): one global
 * weight vector {@code w = softmax(θ)} over the L scales, {@code A = Σ_l w_l·U_l}, and the auxiliary
 * loss {@code λ·Σ_l |w_l|}.
 *
 * <p>It exists so that the library can be checked against that code; it is not the library's convex
 * allocation (see the QP solver). Two facts to know: the weights are the same for every batch element
 * and position, and the L1 term is the constant λ (softmax weights are positive and sum to 1), so it
 * passes no gradient and does not encourage sparsity.
 *
 * <p><b>Not causal.</b> In the reference block the scale outputs {@code U_l} already mix the whole
 * sequence (bidirectional attention, and a coarse token upsampled to position t summarises positions
 * after t), so the aggregated output at t depends on future tokens. The mixing step itself is
 * position-wise (one weight vector for every position), so it adds no leak of its own, but nothing in
 * it makes the path causal: do not use it for causal models.
 *
 * <p>Composed from engine ops (softmax, slice, multiply, add, abs, sum), so autograd differentiates it.
 */
public final class ReferenceSoftmax {
    /** Name used in error messages. */
    public static final String NAME = "reference_softmax";

    private ReferenceSoftmax() {
    }

    /**
     * The aggregation's results.
     *
     * @param output  {@code A = Σ_l w_l U_l}, {@code [B, n, d]}
     * @param weights {@code softmax(θ)}, {@code [L]}
     * @param auxLoss {@code λ·Σ_l |w_l|}, rank 0 (equal to λ up to rounding)
     */
    public record Result(Tensor output, Tensor weights, Tensor auxLoss) {
    }

    /**
     * @param upsampled the L scale outputs at full length, each {@code [B, n, d]}, equal shapes
     * @param logits    the learned logits θ, {@code [L]}
     * @param lambda    the sparsity coefficient λ (finite)
     */
    public static Result aggregate(List<Tensor> upsampled, Tensor logits, double lambda) {
        int L = ReferenceInputs.check(NAME, upsampled);
        if (logits == null || logits.rank() != 1 || logits.size(0) != L) {
            throw new IllegalArgumentException(NAME + ": logits must have shape [" + L + "] (one per scale), got "
                    + (logits == null ? "null" : java.util.Arrays.toString(logits.shape())));
        }
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException(NAME + ": sparsity λ = " + lambda + " must be finite");
        }
        Tensor w = logits.softmax(0);
        Tensor out = null;
        for (int l = 0; l < L; l++) {
            Tensor term = upsampled.get(l).mul(w.slice(0, l, l + 1));
            out = out == null ? term : out.add(term);
        }
        Tensor aux = w.abs().sum().mul(lambda);
        return new Result(out, w, aux);
    }
}
