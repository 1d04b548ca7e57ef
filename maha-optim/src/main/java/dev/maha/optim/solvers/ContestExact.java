package dev.maha.optim.solvers;

/**
 * The exact contest equilibrium of one instance: the active set by sorting, then the closed form.
 *
 * <p>Sort the available valuations in decreasing order, {@code v_(1) ≥ v_(2) ≥ …}, with
 * {@code H_k = Σ_{j≤k} 1/v_(j)}. The active set is the top {@code m} players for the largest
 * {@code m} with {@code v_(m) > (m − 1)/H_m}, tested in the equivalent form
 * {@code v_(m)·H_{m−1} > m − 2} (one rounding less; it always holds for {@code m = 2}, so
 * {@code m ≥ 2} whenever two players are available). Ties are kept in position order; tied players
 * are either all active or all inactive, since the test depends on the valuation only.
 */
final class ContestExact {
    private ContestExact() {
    }

    /**
     * Marks the active set of the instance at {@code [off, off + L)} in {@code active}.
     *
     * @param order scratch of length ≥ L
     * @return the number of active players (0 or 1 when fewer than two are available)
     */
    static int activeSet(double[] v, boolean[] available, int off, int L, boolean[] active, int[] order) {
        int n = 0;
        for (int l = 0; l < L; l++) {
            active[off + l] = false;
            if (!available[off + l]) continue;
            // insertion sort by decreasing valuation (L ≤ 16: no allocation, no library call)
            int pos = n++;
            double x = v[off + l];
            while (pos > 0 && v[off + order[pos - 1]] < x) {
                order[pos] = order[pos - 1];
                pos--;
            }
            order[pos] = l;
        }
        if (n <= 1) {
            if (n == 1) active[off + order[0]] = true;
            return n;
        }
        int m = 2;
        double h = 1 / v[off + order[0]];                 // H_{k−1}
        for (int k = 2; k <= n; k++) {
            double vk = v[off + order[k - 1]];
            if (vk * h > k - 2) m = k;
            h += 1 / vk;
        }
        for (int k = 0; k < m; k++) active[off + order[k]] = true;
        return m;
    }
}
