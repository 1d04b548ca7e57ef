package dev.maha.optim.solvers;

/**
 * The exact solve of one allocation QP instance: a primal active-set method (Nocedal and Wright,
 * Numerical Optimization, §16.5) on the simplex, for L ≤ 16 scales.
 *
 * <p>It keeps a feasible point {@code w} and its free set {@code F} (the scales allowed to be
 * positive; the others are held at 0). Each iteration solves the equality-constrained QP on F,
 * {@code [P_FF 1; 1ᵀ 0][x_F; ν] = [ŝ_F; 1]} (by Cholesky of P_FF: {@code ν = (1ᵀP⁻¹ŝ − 1)/(1ᵀP⁻¹1)},
 * {@code x_F = P⁻¹(ŝ_F − ν1)}), then
 * <ul>
 *   <li>if {@code x_F > 0}: moves to it and checks the multipliers {@code λ_j = (Px)_j − ŝ_j + ν}
 *       of the scales held at 0; if all are ≥ −1e-13·σ_j the KKT conditions hold and it stops,
 *       else it frees the most violating scale;</li>
 *   <li>else: steps from w towards x as far as feasibility allows and holds the blocking scale
 *       at 0.</li>
 * </ul>
 * The start is {@code w₀ = Π_Δ(ŝ / max_i P_ii)}, exact when μ = 0 (then P = τI), so sparsemax
 * instances end after one solve. A scale freed because of a multiplier that is negative only by
 * rounding (its solve value comes out ≤ 0, which exact arithmetic excludes) ends the search at the
 * previous point instead of cycling; the loop is also capped at {@code 10·m + 10} iterations
 * (never reached in the tests; the certificate would show it).
 */
final class ActiveSetQp {
    private static final double ADD_TOLERANCE = 1e-13;

    private final double[] w;
    private final double[] x;
    private final double[] sub;
    private final double[] factor;
    private final double[] rhs;
    private final double[] a;
    private final double[] pw;
    private final double[] scratch;
    private final int[] free;
    private final boolean[] inFree;
    /** Equality-constrained solves of the last call (for FLOP reports). */
    int solves;

    ActiveSetQp(int len) {
        w = new double[len];
        x = new double[len];
        sub = new double[len * len];
        factor = new double[len * len];
        rhs = new double[len];
        a = new double[len];
        pw = new double[len];
        scratch = new double[len];
        free = new int[len];
        inFree = new boolean[len];
    }

    /** Solves instance {@code q} (m ≥ 1 available scales) into {@code out[0..m)}. */
    void solve(QpInstance q, double[] out) {
        int m = q.m;
        solves = 0;
        if (m == 1) {
            out[0] = 1;
            return;
        }
        double diag = 0;
        for (int i = 0; i < m; i++) diag = Math.max(diag, q.p[i * m + i]);
        for (int i = 0; i < m; i++) rhs[i] = q.s[i] / diag;
        SimplexKernel.project(rhs, m, w, scratch);
        for (int i = 0; i < m; i++) inFree[i] = w[i] > 0;
        int justFreed = -1;
        for (int iter = 0; iter < 10 * m + 10; iter++) {
            int nf = 0;
            for (int i = 0; i < m; i++) if (inFree[i]) free[nf++] = i;
            double nu = solveOnFree(q, nf);
            double alpha = 1;
            int block = -1;
            for (int k = 0; k < nf; k++) {
                if (x[k] <= 0) {
                    int i = free[k];
                    double step = w[i] <= 0 ? 0 : w[i] / (w[i] - x[k]);
                    if (block < 0 || step < alpha) {
                        alpha = step;
                        block = i;
                    }
                }
            }
            if (block < 0) {
                for (int i = 0; i < m; i++) w[i] = 0;
                for (int k = 0; k < nf; k++) w[free[k]] = x[k];
                int worst = mostViolating(q, nu);
                if (worst < 0) break;
                inFree[worst] = true;
                justFreed = worst;
            } else {
                if (block == justFreed && alpha == 0) {
                    break;   // the freed scale's multiplier was negative by rounding only: w is optimal
                }
                for (int k = 0; k < nf; k++) {
                    int i = free[k];
                    w[i] += alpha * (x[k] - w[i]);
                }
                w[block] = 0;
                inFree[block] = false;
                for (int i = 0; i < m; i++) {
                    if (inFree[i] && w[i] <= 0) {
                        w[i] = 0;
                        inFree[i] = false;
                    }
                }
                justFreed = -1;
            }
        }
        double sum = 0;
        for (int i = 0; i < m; i++) {
            out[i] = Math.max(w[i], 0);
            sum += out[i];
        }
        for (int i = 0; i < m; i++) out[i] /= sum;
    }

    /** The equality-constrained minimizer on the free set into {@code x[0..nf)}; returns ν. */
    private double solveOnFree(QpInstance q, int nf) {
        solves++;
        int m = q.m;
        for (int r = 0; r < nf; r++) {
            for (int c = 0; c < nf; c++) sub[r * nf + c] = q.p[free[r] * m + free[c]];
        }
        Cholesky.factor(sub, nf, factor);   // a principal block of a positive definite P
        for (int k = 0; k < nf; k++) rhs[k] = q.s[free[k]];
        Cholesky.solve(factor, nf, rhs, a);
        for (int k = 0; k < nf; k++) rhs[k] = 1;
        Cholesky.solve(factor, nf, rhs, x);
        double sa = 0;
        double sb = 0;
        for (int k = 0; k < nf; k++) {
            sa += a[k];
            sb += x[k];
        }
        double nu = (sa - 1) / sb;
        for (int k = 0; k < nf; k++) rhs[k] = q.s[free[k]] - nu;
        Cholesky.solve(factor, nf, rhs, x);
        return nu;
    }

    /** The held-at-0 scale with the most negative scaled multiplier below −tolerance, or −1. */
    private int mostViolating(QpInstance q, double nu) {
        q.multiply(w, pw);
        int worst = -1;
        double worstValue = -ADD_TOLERANCE;
        for (int j = 0; j < q.m; j++) {
            if (inFree[j]) continue;
            double lambda = (pw[j] - q.s[j] + nu) / (q.pMax + Math.abs(q.s[j]));
            if (lambda < worstValue) {
                worstValue = lambda;
                worst = j;
            }
        }
        return worst;
    }
}
