package dev.maha.optim.solvers;

/**
 * The equilibrium gap of bids {@code b} (one instance at {@code [off, off + L)}), relative to the
 * largest available valuation:
 * {@code max_l [max_{b'} π_l(b', b_{−l}) − π_l(b)] / max_l v_l} with {@code π_l = v_l·b_l/Σb − b_l}.
 *
 * <p>Against the others' total {@code s = S_{−l} > 0} the best payoff has a closed form: the best
 * response {@code √(v s) − s}, when positive, earns {@code (√v − √s)²}; otherwise bidding 0 earns 0. So
 * {@code max_{b'} π_l = (max(0, √v − √s))²}, computed as {@code (v − s)²/(√v + √s)²} to avoid
 * cancellation. When the others bid nothing, any tiny bid wins the whole budget: the supremum is
 * {@code v_l} (not attained). The others' totals are prefix + suffix sums (non-negative terms, no
 * cancellation). Unavailable positions are ignored; fewer than two available players give 0.
 */
final class ContestCertificate {
    private ContestCertificate() {
    }

    /**
     * @param prefix scratch of length ≥ L + 1
     * @return the relative gap, ≥ 0
     */
    static double gap(double[] v, boolean[] available, double[] b, int off, int L, double[] prefix) {
        int n = 0;
        double vmax = 0;
        prefix[0] = 0;
        for (int l = 0; l < L; l++) {
            int i = off + l;
            boolean a = available[i];
            if (a) {
                n++;
                vmax = Math.max(vmax, v[i]);
            }
            prefix[l + 1] = prefix[l] + (a ? b[i] : 0);
        }
        if (n < 2) return 0;
        double total = prefix[L];
        double worst = 0;
        double suffix = 0;
        for (int l = L - 1; l >= 0; l--) {
            int i = off + l;
            if (!available[i]) continue;
            double s = prefix[l] + suffix;
            suffix += b[i];
            double best;
            if (s > 0) {
                best = 0;
                if (v[i] > s) {
                    double d = (v[i] - s) / (Math.sqrt(v[i]) + Math.sqrt(s));
                    best = d * d;
                }
            } else {
                best = v[i];
            }
            double payoff = total > 0 ? b[i] * (v[i] - total) / total : 0;
            worst = Math.max(worst, best - payoff);
        }
        return worst / vmax;
    }
}
