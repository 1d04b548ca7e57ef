package dev.maha.optim.solvers;

/**
 * FISTA (Beck and Teboulle, 2009) for one allocation QP instance, and the reverse sweep through
 * its iterations (the {@link GradientMode#UNROLLED} gradient).
 *
 * <p>Iteration, from {@code x₀ = y₁ = 1/m} (uniform over the available scales, a constant):
 * <pre>
 *   g_k = P y_k − ŝ,   x_k = Π_Δ(y_k − η g_k),   y_{k+1} = x_k + β_k (x_k − x_{k−1}),
 *   t₁ = 1,  t_{k+1} = (1 + √(1 + 4t_k²))/2,  β_k = (t_k − 1)/t_{k+1}
 * </pre>
 * with the step {@code η = 1/ℓ}, {@code ℓ = max_i Σ_j |P_ij|} (the largest absolute row sum,
 * ≥ ‖P‖₂ for a symmetric P, exact when Ĝ = I or Ĝ = 11ᵀ; no power iteration needed). The output
 * is {@code x_K}, or the first iterate whose KKT certificate is ≤ the tolerance.
 *
 * <p>Each call records its iterates on a per-instance tape ({@code y_k}, {@code x_k},
 * {@code g_k}). The op's backward replays an instance's iterations into the tape (the same code
 * on the same numbers, so the iterates are bit-identical to the forward ones) and runs the reverse
 * sweep: memory O(K·L) for one instance at a time instead of O(batch·K·L). The sweep differentiates
 * everything the iterates depend on: the projection's Jacobian at every step, the momentum terms,
 * and the step η through ℓ (the derivative of the max row sum, {@code sign(P_{i*j})} on the arg-max
 * row i*). The iteration count reached with a tolerance is held fixed.
 */
final class FistaQp {
    private final double[] beta;
    private final double[] ys;
    private final double[] xs;
    private final double[] gs;
    private final double[] z;
    private final double[] scratch;
    private final double[] xbar;
    private final double[] xbarPrev;
    private final double[] xbarPrev2;
    private final double[] zbar;
    private final double[] pz;
    private double eta;
    private int rowOfNorm;

    FistaQp(int maxIterations, int len) {
        beta = new double[maxIterations + 1];
        double t = 1;
        for (int k = 1; k < maxIterations; k++) {
            double next = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            beta[k] = (t - 1) / next;
            t = next;
        }
        ys = new double[maxIterations * len];
        xs = new double[(maxIterations + 1) * len];
        gs = new double[maxIterations * len];
        z = new double[len];
        scratch = new double[len];
        xbar = new double[len];
        xbarPrev = new double[len];
        xbarPrev2 = new double[len];
        zbar = new double[len];
        pz = new double[len];
    }

    /**
     * Runs at most {@code iterations} (≤ the constructor's) iterations on {@code q} (m ≥ 1),
     * stopping at the first iterate with certificate ≤ {@code tolerance} when it is positive.
     * Writes the last iterate to {@code out[0..m)} and returns the number of iterations run.
     */
    int solve(QpInstance q, int iterations, double tolerance, double[] out) {
        int m = q.m;
        if (m == 1) {
            out[0] = 1;
            return 0;
        }
        step(q);
        for (int i = 0; i < m; i++) {
            xs[i] = 1.0 / m;
            ys[i] = 1.0 / m;
        }
        int k = 1;
        for (; k <= iterations; k++) {
            int yo = (k - 1) * m;
            int xo = k * m;
            q.multiply(slice(ys, yo, m, z), scratch);
            for (int i = 0; i < m; i++) {
                double g = scratch[i] - q.s[i];
                gs[yo + i] = g;
                z[i] = ys[yo + i] - eta * g;
            }
            SimplexKernel.project(z, m, out, scratch);
            System.arraycopy(out, 0, xs, xo, m);
            if (k < iterations) {
                for (int i = 0; i < m; i++) ys[k * m + i] = out[i] + beta[k] * (out[i] - xs[xo - m + i]);
            }
            if (tolerance > 0 && q.residual(out) <= tolerance) return k;
        }
        return iterations;
    }

    /**
     * Reverse sweep for an instance solved with {@code iterations} iterations: replays them, then
     * writes {@code ∂L/∂ŝ} to {@code sbar[0..m)} and {@code ∂L/∂P} to {@code pbar[0..m·m)} (P as a
     * general matrix, stride m) given {@code wbar = ∂L/∂x_K}.
     */
    void backward(QpInstance q, int iterations, double[] wbar, double[] sbar, double[] pbar, double[] out) {
        int m = q.m;
        java.util.Arrays.fill(sbar, 0, m, 0);
        java.util.Arrays.fill(pbar, 0, m * m, 0);
        if (m == 1 || iterations == 0) return;
        solve(q, iterations, 0, out);
        System.arraycopy(wbar, 0, xbar, 0, m);
        java.util.Arrays.fill(xbarPrev, 0, m, 0);
        double etaBar = 0;
        double[] cur = xbar;
        double[] prev = xbarPrev;
        double[] prev2 = xbarPrev2;
        for (int k = iterations; k >= 1; k--) {
            int yo = (k - 1) * m;
            SimplexKernel.vjp(slice(xs, k * m, m, z), cur, m, zbar);
            q.multiply(zbar, pz);   // P is symmetric: Pᵀ z̄ = P z̄
            for (int i = 0; i < m; i++) {
                sbar[i] += eta * zbar[i];
                etaBar -= gs[yo + i] * zbar[i];
                for (int j = 0; j < m; j++) pbar[i * m + j] -= eta * zbar[i] * ys[yo + j];
            }
            // ȳ_k = z̄ − η P z̄ flows into x_{k−1} (coefficient 1 + β_{k−1}) and x_{k−2} (−β_{k−1});
            // y₁ = x₀ is a constant.
            if (k >= 2) {
                double b = beta[k - 1];
                for (int i = 0; i < m; i++) {
                    double ybar = zbar[i] - eta * pz[i];
                    prev[i] += (1 + b) * ybar;
                    prev2[i] = k >= 3 ? -b * ybar : 0;
                }
            }
            double[] t = cur;
            cur = prev;
            prev = prev2;
            prev2 = t;
        }
        // η = 1/ℓ, ℓ = Σ_j |P_{i*j}|.
        double ell = 1 / eta;
        double ellBar = -etaBar / (ell * ell);
        for (int j = 0; j < m; j++) pbar[rowOfNorm * m + j] += ellBar * Math.signum(q.p[rowOfNorm * m + j]);
    }

    /** Sets η = 1/ℓ with ℓ the largest absolute row sum of P, and remembers the row. */
    private void step(QpInstance q) {
        int m = q.m;
        double ell = -1;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < m; j++) row += Math.abs(q.p[i * m + j]);
            if (row > ell) {
                ell = row;
                rowOfNorm = i;
            }
        }
        eta = 1 / ell;
    }

    /** Copies {@code a[off..off+m)} into {@code into} and returns it. */
    private static double[] slice(double[] a, int off, int m, double[] into) {
        System.arraycopy(a, off, into, 0, m);
        return into;
    }
}
