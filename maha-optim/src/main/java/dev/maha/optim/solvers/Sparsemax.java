package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;

/**
 * Sparsemax (Martins and Astudillo, 2016) over the last axis: {@code sparsemax(z) =
 * argmin_{p ∈ Δ} ‖p − z‖²}, the Euclidean projection of the scores {@code z [..., L]} onto the
 * probability simplex. Unlike softmax it returns exact zeros for low scores.
 *
 * <pre>{@code
 * Tensor p = Sparsemax.apply(z);         // [..., L]
 * Tensor p = Sparsemax.apply(z, mask);   // mask [..., L]: absent entries get 0 and are excluded
 * }</pre>
 *
 * <p>It is exactly {@link SimplexProjection#project} (same op, same closed-form gradient
 * {@code dz_S = g_S − mean(g_S)} on the support, 0 elsewhere; both gradient modes coincide);
 * only the name in error messages differs ({@code "sparsemax"}). See {@link SimplexProjection} for
 * masks, data types and the no-available-entry case (all zeros).
 */
public final class Sparsemax {
    /** Name used by errors and FLOP reports. */
    public static final String NAME = "sparsemax";

    private Sparsemax() {
    }

    /** Sparsemax of every row {@code z[..., :]}. */
    public static Tensor apply(Tensor z) {
        return apply(z, null);
    }

    /** Sparsemax over the available entries of every row; {@code mask} may be null (all available). */
    public static Tensor apply(Tensor z, Tensor mask) {
        return SimplexProjection.apply(NAME, "z", z, mask);
    }
}
