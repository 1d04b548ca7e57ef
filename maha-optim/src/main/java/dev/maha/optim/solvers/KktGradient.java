package dev.maha.optim.solvers;

/**
 * The {@link GradientMode#IMPLICIT} gradient of the allocation QP at a solution {@code w}: the
 * derivative of its KKT conditions on the support {@code A = {i : w_i > 0}}, assumed stable.
 *
 * <p>On A the solution satisfies {@code P_AA w_A + ν1 = ŝ_A, 1ᵀw_A = 1} (the scales off A stay at
 * 0). Differentiating, {@code [P_AA 1; 1ᵀ 0][dw_A; dν] = [ds_A − dP_AA w_A; 0]}, so for a cotangent
 * g the bordered system {@code [P_AA 1; 1ᵀ 0][a; b] = [g_A; 0]} gives
 * {@code ∂L/∂s_A = a} and {@code ∂L/∂P_AA = −a w_Aᵀ}, zero elsewhere. It is solved by Cholesky of
 * P_AA: {@code b = 1ᵀP⁻¹g / 1ᵀP⁻¹1}, {@code a = P⁻¹(g − b1)}. With |A| = 1 the gradient is 0.
 */
final class KktGradient {
    private final int[] support;
    private final double[] sub;
    private final double[] factor;
    private final double[] rhs;
    private final double[] a;
    private final double[] c;

    KktGradient(int len) {
        support = new int[len];
        sub = new double[len * len];
        factor = new double[len * len];
        rhs = new double[len];
        a = new double[len];
        c = new double[len];
    }

    /**
     * Writes {@code ∂L/∂ŝ} to {@code sbar[0..m)} and {@code ∂L/∂P} to {@code pbar[0..m·m)} (stride m)
     * for the compact solution {@code w} and cotangent {@code g}.
     */
    void backward(QpInstance q, double[] w, double[] g, double[] sbar, double[] pbar) {
        int m = q.m;
        java.util.Arrays.fill(sbar, 0, m, 0);
        java.util.Arrays.fill(pbar, 0, m * m, 0);
        int n = 0;
        for (int i = 0; i < m; i++) if (w[i] > 0) support[n++] = i;
        if (n <= 1) return;
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) sub[r * n + k] = q.p[support[r] * m + support[k]];
        }
        Cholesky.factor(sub, n, factor);
        for (int k = 0; k < n; k++) rhs[k] = g[support[k]];
        Cholesky.solve(factor, n, rhs, a);
        for (int k = 0; k < n; k++) rhs[k] = 1;
        Cholesky.solve(factor, n, rhs, c);
        double sa = 0;
        double sc = 0;
        for (int k = 0; k < n; k++) {
            sa += a[k];
            sc += c[k];
        }
        double b = sa / sc;
        for (int k = 0; k < n; k++) rhs[k] = g[support[k]] - b;
        Cholesky.solve(factor, n, rhs, a);
        for (int r = 0; r < n; r++) {
            int i = support[r];
            sbar[i] = a[r];
            for (int k = 0; k < n; k++) pbar[i * m + support[k]] = -a[r] * w[support[k]];
        }
    }
}
