package dev.maha.optim.solvers;

/**
 * The Euclidean projection onto the probability simplex of one compact vector (every entry
 * available), and its vector-Jacobian product. Plain double arithmetic, no allocation: the callers
 * loop over a batch and hand in scratch space.
 *
 * <p>Algorithm (Held, Wolfe and Crowder 1974; Duchi et al. 2008): with {@code u} the entries sorted
 * in decreasing order, {@code ρ = max{j : u_j − (Σ_{i≤j} u_i − 1)/j > 0}},
 * {@code θ = (Σ_{i≤ρ} u_i − 1)/ρ} and {@code w = max(v − θ, 0)}. The vector is first shifted by its
 * maximum (the projection is invariant under {@code v + c·1}): the entries that can be in the
 * support then lie within 1 of 0, their differences to the maximum are exact (Sterbenz) even when
 * the inputs are of magnitude 1e12, and θ is computed from numbers of size ≤ 1.
 */
final class SimplexKernel {
    private SimplexKernel() {
    }

    /**
     * Projects {@code v[0..m)} onto the simplex into {@code w[0..m)}; {@code m ≥ 1}.
     *
     * @param u scratch of length ≥ m (overwritten)
     */
    static void project(double[] v, int m, double[] w, double[] u) {
        double max = v[0];
        for (int i = 1; i < m; i++) if (v[i] > max) max = v[i];
        for (int i = 0; i < m; i++) u[i] = v[i] - max;
        sortDescending(u, m);
        double cum = 0;
        double theta = -1;   // j = 1 always qualifies: u_1 = 0 > (0 − 1)/1
        for (int j = 0; j < m; j++) {
            cum += u[j];
            double t = (cum - 1) / (j + 1);
            if (u[j] > t) theta = t;
        }
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double x = (v[i] - max) - theta;
            w[i] = x > 0 ? x : 0;
            sum += w[i];
        }
        // In exact arithmetic sum = 1; rounding leaves a few ulps, removed here so that the output
        // lies on the simplex to machine precision. A non-positive sum cannot occur (the maximum
        // always gets −θ > 0) but is guarded against anyway.
        if (sum > 0) {
            if (sum != 1) for (int i = 0; i < m; i++) w[i] /= sum;
        } else {
            for (int i = 0; i < m; i++) w[i] = v[i] - max == 0 ? 1 : 0;
            normalizeCount(w, m);
        }
    }

    /**
     * The vector-Jacobian product at a projection {@code w}: on the support {@code S = {i : w_i > 0}}
     * {@code dv_S = g_S − mean(g_S)}, and 0 off the support.
     */
    static void vjp(double[] w, double[] g, int m, double[] dv) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (w[i] > 0) {
                sum += g[i];
                count++;
            }
        }
        double mean = count > 0 ? sum / count : 0;
        for (int i = 0; i < m; i++) dv[i] = w[i] > 0 ? g[i] - mean : 0;
    }

    /** Insertion sort, decreasing; m ≤ 16 in practice, where it beats anything else. */
    private static void sortDescending(double[] a, int m) {
        for (int i = 1; i < m; i++) {
            double x = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] < x) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static void normalizeCount(double[] w, int m) {
        int count = 0;
        for (int i = 0; i < m; i++) if (w[i] > 0) count++;
        for (int i = 0; i < m; i++) w[i] = w[i] > 0 ? 1.0 / count : 0;
    }
}
