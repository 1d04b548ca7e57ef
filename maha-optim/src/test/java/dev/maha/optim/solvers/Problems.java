package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.Random;

/** Random test instances: utilities, cosine-similarity Gram matrices (PSD, unit diagonal), masks. */
final class Problems {
    private Problems() {
    }

    /** The cosine-similarity Gram of {@code len} random vectors of dimension {@code dim}, row-major. */
    static double[] cosineGram(Random rnd, int len, int dim) {
        double[][] u = new double[len][dim];
        for (double[] row : u) {
            double n = 0;
            for (int k = 0; k < dim; k++) {
                row[k] = rnd.nextGaussian();
                n += row[k] * row[k];
            }
            n = Math.sqrt(n);
            for (int k = 0; k < dim; k++) row[k] /= n;
        }
        double[] g = new double[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < len; j++) {
                double d = 0;
                for (int k = 0; k < dim; k++) d += u[i][k] * u[j][k];
                g[i * len + j] = d;
            }
        }
        for (int i = 0; i < len; i++) g[i * len + i] = 1;
        return g;
    }

    /** {@code batch} cosine Grams, {@code [batch, len, len]} as a float64 tensor. */
    static Tensor grams(Random rnd, int batch, int len, int dim) {
        double[] all = new double[batch * len * len];
        for (int b = 0; b < batch; b++) System.arraycopy(cosineGram(rnd, len, dim), 0, all, b * len * len, len * len);
        return Tensor.of(all, batch, len, len);
    }

    /** Standard normal utilities {@code [batch, len]} times {@code scale}. */
    static Tensor utilities(Random rnd, int batch, int len, double scale) {
        double[] s = new double[batch * len];
        for (int i = 0; i < s.length; i++) s[i] = scale * rnd.nextGaussian();
        return Tensor.of(s, batch, len);
    }

    /** The objective ½ wᵀ P w − sᵀ w of one instance (full, all scales). */
    static double objective(double[] w, double[] s, double[] g, double tau, double mu) {
        int len = w.length;
        double f = 0;
        for (int i = 0; i < len; i++) {
            double pw = tau * w[i];
            for (int j = 0; j < len; j++) pw += mu * 0.5 * (g[i * len + j] + g[j * len + i]) * w[j];
            f += 0.5 * w[i] * pw - s[i] * w[i];
        }
        return f;
    }

    /**
     * {@code batch} instances (utilities of scale 1, cosine Grams of {@code dim}-dimensional vectors)
     * whose solution has at least two positive weights and a stable active set: every positive
     * weight and every multiplier of a zero weight is ≥ {@code margin}, so finite-difference steps
     * of 1e-6 stay on one smooth piece. Returns {s [batch, len], G [batch, len, len]}.
     */
    static Tensor[] stableBatch(Random rnd, int batch, int len, int dim, double tau, double mu, double margin) {
        double[] s = new double[batch * len];
        double[] g = new double[batch * len * len];
        int found = 0;
        while (found < batch) {
            double[] si = new double[len];
            for (int i = 0; i < len; i++) si[i] = rnd.nextGaussian();
            double[] gi = cosineGram(rnd, len, dim);
            if (margin(si, gi, tau, mu) < margin) continue;
            System.arraycopy(si, 0, s, found * len, len);
            System.arraycopy(gi, 0, g, found * len * len, len * len);
            found++;
        }
        return new Tensor[] {Tensor.of(s, batch, len), Tensor.of(g, batch, len, len)};
    }

    /** min(positive weights, multipliers of the zero weights) of the exact solution; −1 if |support| < 2. */
    static double margin(double[] s, double[] g, double tau, double mu) {
        int len = s.length;
        double[] w = SupportEnumeration.solve(s, g, tau, mu);
        double[] r = new double[len];
        int support = 0;
        double nu = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < len; j++) r[i] += (tau * (i == j ? 1 : 0) + mu * 0.5 * (g[i * len + j] + g[j * len + i])) * w[j];
            r[i] -= s[i];
            if (w[i] > 0) {
                support++;
                nu = -r[i];
                min = Math.min(min, w[i]);
            }
        }
        if (support < 2) return -1;
        for (int i = 0; i < len; i++) if (w[i] == 0) min = Math.min(min, r[i] + nu);
        return min;
    }
}
