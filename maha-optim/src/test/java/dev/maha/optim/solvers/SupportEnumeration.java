package dev.maha.optim.solvers;

/**
 * An independent exact solver for small allocation QPs (L ≤ 10), for the tests: the minimum over
 * the simplex lies in the relative interior of some face, where it is the minimizer of the
 * equality-constrained problem on that face's support. So: for every nonempty support A, solve
 * {@code [P_AA 1; 1ᵀ 0][w_A; ν] = [s_A; 1]} by Gaussian elimination with partial pivoting, keep
 * the solutions with {@code w_A ≥ 0}, return the one of least objective. No code shared with the
 * library's solvers.
 */
final class SupportEnumeration {
    private SupportEnumeration() {
    }

    /** The minimizer of ½ wᵀPw − sᵀw over the simplex, P = τI + μ(G + Gᵀ)/2, G row-major len×len. */
    static double[] solve(double[] s, double[] g, double tau, double mu) {
        int len = s.length;
        double[] p = new double[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < len; j++) p[i * len + j] = (i == j ? tau : 0) + mu * 0.5 * (g[i * len + j] + g[j * len + i]);
        }
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int set = 1; set < (1 << len); set++) {
            int n = Integer.bitCount(set);
            int[] a = new int[n];
            for (int i = 0, k = 0; i < len; i++) if ((set & (1 << i)) != 0) a[k++] = i;
            double[][] m = new double[n + 1][n + 2];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) m[r][c] = p[a[r] * len + a[c]];
                m[r][n] = 1;
                m[r][n + 1] = s[a[r]];
            }
            for (int c = 0; c < n; c++) m[n][c] = 1;
            m[n][n + 1] = 1;
            double[] x = gauss(m);
            boolean feasible = true;
            for (int k = 0; k < n; k++) feasible &= x[k] >= 0;
            if (!feasible) continue;
            double[] w = new double[len];
            for (int k = 0; k < n; k++) w[a[k]] = x[k];
            double f = 0;
            for (int i = 0; i < len; i++) {
                double pw = 0;
                for (int j = 0; j < len; j++) pw += p[i * len + j] * w[j];
                f += 0.5 * w[i] * pw - s[i] * w[i];
            }
            if (f < bestValue) {
                bestValue = f;
                best = w;
            }
        }
        return best;
    }

    private static double[] gauss(double[][] m) {
        int n = m.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = m[r][n];
            for (int k = r + 1; k < n; k++) v -= m[r][k] * x[k];
            x[r] = v / m[r][r];
        }
        return x;
    }
}
