package dev.maha.optim.solvers;

/**
 * One instance of the allocation QP {@code min_{w ∈ Δ} ½ wᵀPw − sᵀw}, reduced to its available
 * scales: a reusable workspace that a batch loop loads instance after instance (no allocation per
 * instance).
 *
 * <p>After {@link #load}: {@code m} available scales with original positions {@code idx[0..m)};
 * {@code p} the m×m matrix {@code P = τI + μ·(G + Gᵀ)/2} (row-major, stride m: the objective only
 * sees the symmetric part of G); {@code s} the utilities shifted by their maximum,
 * {@code ŝ = s − max s} (the solution is invariant under {@code s + c·1} because {@code 1ᵀw = 1};
 * the shift keeps the numbers the solvers combine small when the inputs are large).
 */
final class QpInstance {
    final int len;
    final double tau;
    final double mu;
    int m;
    final int[] idx;
    final double[] s;
    final double[] p;
    /** Largest |P_ij| over the available block. */
    double pMax;
    private final double[] r;
    private final double[] factor;

    QpInstance(int len, double tau, double mu) {
        this.len = len;
        this.tau = tau;
        this.mu = mu;
        idx = new int[len];
        s = new double[len];
        p = new double[len * len];
        r = new double[len];
        factor = new double[len * len];
    }

    /** Loads instance {@code b} of the flat batch arrays {@code sv [B·L]} and {@code gv [B·L·L]}. */
    void load(double[] sv, double[] gv, boolean[] available, int b) {
        int so = b * len;
        int go = b * len * len;
        m = 0;
        for (int i = 0; i < len; i++) if (available == null || available[so + i]) idx[m++] = i;
        if (m == 0) return;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) max = Math.max(max, sv[so + idx[k]]);
        for (int k = 0; k < m; k++) s[k] = sv[so + idx[k]] - max;
        pMax = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double g = 0.5 * (gv[go + idx[i] * len + idx[j]] + gv[go + idx[j] * len + idx[i]]);
                double v = (i == j ? tau : 0) + mu * g;
                p[i * m + j] = v;
                pMax = Math.max(pMax, Math.abs(v));
            }
        }
    }

    /** Fails unless P is numerically positive definite (Cholesky); {@code b} names the instance. */
    void requirePositiveDefinite(int b) {
        double pivot = Cholesky.factor(p, m, factor);
        if (!(pivot > 0)) {
            throw new IllegalArgumentException(ConvexAllocation.NAME + ": P = τI + μ·Ĝ is not positive definite at instance "
                    + b + " (Cholesky pivot " + pivot + ", τ = " + tau + ", μ = " + mu
                    + "); gram must be positive semidefinite, as a cosine-similarity Gram is");
        }
    }

    /** {@code out = P x} over the available block. */
    void multiply(double[] x, double[] out) {
        for (int i = 0; i < m; i++) {
            double v = 0;
            for (int j = 0; j < m; j++) v += p[i * m + j] * x[j];
            out[i] = v;
        }
    }

    /**
     * The KKT certificate of a compact candidate {@code w[0..m)}: 0 exactly at the solution, and a
     * bound on how far each optimality condition is from holding. With {@code r = Pw − ŝ},
     * the multiplier {@code ν = −Σ w_i² r_i / Σ w_i²} (the least-squares fit of stationarity on the
     * support, weighted by w²), {@code λ = r + ν·1} (what stationarity {@code Pw − s + ν1 − λ = 0}
     * requires) and the per-scale magnitude {@code σ_i = max|P| + |ŝ_i|}:
     * <pre>
     *   max( |1ᵀw − 1|,  max_i max(0, −w_i),  max_i max(0, −λ_i)/σ_i,  max_i |w_i·λ_i|/σ_i )
     * </pre>
     * (feasibility, dual feasibility, complementarity). Dividing the multiplier terms by σ_i makes
     * the certificate invariant under scaling the problem ({@code s, τ, μ·G → c·s, c·τ, c·μ·G}) and
     * measures each component against the size of the numbers it is computed from, so that rounding
     * contributes a few ulps whatever the inputs' magnitude. An instance with no available scale has
     * certificate 0.
     */
    double residual(double[] w) {
        if (m == 0) return 0;
        multiply(w, r);
        double num = 0;
        double den = 0;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            r[i] -= s[i];
            num += w[i] * w[i] * r[i];
            den += w[i] * w[i];
            sum += w[i];
        }
        double nu = den > 0 ? -num / den : 0;
        double res = Math.abs(sum - 1);
        for (int i = 0; i < m; i++) {
            double lambda = r[i] + nu;
            double sigma = pMax + Math.abs(s[i]);
            res = Math.max(res, Math.max(0, -w[i]));
            res = Math.max(res, Math.max(0, -lambda) / sigma);
            res = Math.max(res, Math.abs(w[i] * lambda) / sigma);
        }
        return res;
    }
}
