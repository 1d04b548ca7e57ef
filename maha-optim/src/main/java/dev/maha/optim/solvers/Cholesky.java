package dev.maha.optim.solvers;

/**
 * Cholesky factorization and solves for small dense symmetric positive definite matrices
 * ({@code n ≤ 16}), row-major {@code double[]} of stride {@code n}, no allocation.
 */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * Factors {@code A = R Rᵀ} (R lower triangular, written to {@code r}). Only the lower triangle of
     * {@code a} is read. Returns the smallest pivot {@code R_jj²} before its square root: it is
     * ≤ 0 (or NaN) exactly when the matrix is not numerically positive definite, in which case
     * {@code r} is incomplete.
     */
    static double factor(double[] a, int n, double[] r) {
        double minPivot = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= r[j * n + k] * r[j * n + k];
            if (!(d > 0)) return d;   // also NaN
            minPivot = Math.min(minPivot, d);
            double rjj = Math.sqrt(d);
            r[j * n + j] = rjj;
            for (int i = j + 1; i < n; i++) {
                double x = a[i * n + j];
                for (int k = 0; k < j; k++) x -= r[i * n + k] * r[j * n + k];
                r[i * n + j] = x / rjj;
            }
        }
        return minPivot;
    }

    /** Solves {@code R Rᵀ x = b} with a factor from {@link #factor}; {@code x} may be {@code b}. */
    static void solve(double[] r, int n, double[] b, double[] x) {
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) v -= r[i * n + k] * x[k];
            x[i] = v / r[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = x[i];
            for (int k = i + 1; k < n; k++) v -= r[k * n + i] * x[k];
            x[i] = v / r[i * n + i];
        }
    }
}
