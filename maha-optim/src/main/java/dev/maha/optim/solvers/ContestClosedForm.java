package dev.maha.optim.solvers;

/**
 * The contest equilibrium on a given active set A, and its derivative: one instance at a time, on the
 * slice {@code [off, off + L)} of batch-wide arrays.
 *
 * <p>With {@code m = |A| ≥ 2} and {@code H = Σ_{j∈A} 1/v_j}, the total bid is {@code B = (m − 1)/H} and
 * {@code w_l = 1 − B/v_l} on A. Writing {@code x_l = v_l·H_{−l}} with {@code H_{−l} = Σ_{j∈A, j≠l} 1/v_j}
 * (sums of non-negative terms only), {@code B/v_l = (m − 1)/(1 + x_l)} and
 * {@code w_l = ((2 − m) + x_l)/(1 + x_l)}. For two players this is {@code v_l/(v_l + v_k)} without any
 * cancellation, however far apart the valuations are.
 *
 * <p>Derivative on A, with {@code β_l = B/v_l = 1 − w_l}:
 * {@code ∂w_l/∂v_k = δ_lk·β_l/v_l − β_l·β_k/((m − 1)·v_k)}, zero off A. Its vector-Jacobian product is
 * {@code v̄_k = β_k·(ḡ_k − c)/v_k} with {@code c = Σ_{l∈A} ḡ_l β_l/(m − 1)}.
 */
final class ContestClosedForm {
    private ContestClosedForm() {
    }

    /**
     * Weights and {@code β} on the active set; zero elsewhere. With fewer than two active players the
     * weights are 1 on the single one (or all 0) and {@code β = 0} (the weights are then constant).
     *
     * @param prefix scratch of length ≥ L + 1
     * @return the total equilibrium bid B (0 with fewer than two active players)
     */
    static double solve(double[] v, boolean[] active, int off, int L, double[] w, double[] beta, double[] prefix) {
        int m = 0;
        prefix[0] = 0;
        for (int l = 0; l < L; l++) {
            boolean a = active[off + l];
            if (a) m++;
            prefix[l + 1] = prefix[l] + (a ? 1 / v[off + l] : 0);
        }
        if (m < 2) {
            for (int l = 0; l < L; l++) {
                w[off + l] = active[off + l] ? 1 : 0;
                beta[off + l] = 0;
            }
            return 0;
        }
        double suffix = 0;
        for (int l = L - 1; l >= 0; l--) {
            int i = off + l;
            if (!active[i]) {
                w[i] = 0;
                beta[i] = 0;
                continue;
            }
            double x = v[i] * (prefix[l] + suffix);
            w[i] = Math.max(0, ((2 - m) + x) / (1 + x));
            beta[i] = (m - 1) / (1 + x);
            suffix += 1 / v[i];
        }
        return (m - 1) / prefix[L];
    }

    /**
     * Adds the vector-Jacobian product of the weights at {@code g} into {@code out} (zero off the
     * active set, the set of positions with {@code β > 0}).
     */
    static void vjp(double[] g, double[] v, double[] beta, int off, int L, double[] out) {
        int m = 0;
        double c = 0;
        for (int l = 0; l < L; l++) {
            int i = off + l;
            if (beta[i] > 0) {
                m++;
                c += g[i] * beta[i];
            }
        }
        if (m < 2) return;
        c /= m - 1;
        for (int l = 0; l < L; l++) {
            int i = off + l;
            if (beta[i] > 0) out[i] += beta[i] * (g[i] - c) / v[i];
        }
    }
}
