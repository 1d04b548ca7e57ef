package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import dev.maha.optim.solvers.ConvexAllocation.Options;
import dev.maha.optim.solvers.ConvexAllocation.Solution;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and extreme allocation QPs in float64: utilities of magnitude 1e-12 to 1e12 (Gaussian, on
 * a grid of ties, or a large common offset plus O(1) differences), Gram matrices scaled by 1e-12 to
 * 1e12 with duplicated scales (exact redundancy ties), τ from 1e-12 to 1e12, L = 2..16, masked
 * scales. The certificate is scale-relative by construction (each multiplier term is divided by
 * σ_i = max|P| + |ŝ_i|, the size of the numbers it is computed from), so one bound serves every
 * magnitude; objective comparisons use the tolerance 1e-12·(max|s| + max|P|) for the same reason.
 */
class ConvexAllocationProperties {
    /** One random batch: s [batch, len], G [batch, len, len], mask [batch, len], τ, μ. */
    record Batch(double[] s, double[] g, double[] mask, int batch, int len, double tau, double mu) {
        Solution solve(Options o) {
            return ConvexAllocation.solve(Tensor.of(s, batch, len), Tensor.of(g, batch, len, len), Tensor.of(mask, batch, len),
                    o.withTau(tau).withMu(mu));
        }
    }

    static Batch batch(long seed, int len, int sExponent, int pExponent, int gExponent, int redundancy) {
        Random rnd = new Random(seed);
        int batch = 6;
        double[] s = new double[batch * len];
        double[] g = new double[batch * len * len];
        double[] mask = new double[batch * len];
        double gScale = Math.pow(10, gExponent);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(SimplexProjectionProperties.extremeRow(rnd, len, sExponent, b % 3), 0, s, b * len, len);
            double[] gram = gramWithDuplicates(rnd, len, b % 2 == 1);
            for (int k = 0; k < len * len; k++) g[b * len * len + k] = gScale * gram[k];
            for (int i = 0; i < len; i++) mask[b * len + i] = b < 3 || rnd.nextInt(3) > 0 ? 1 : 0;
        }
        // P = 10^p · (I + r·Ĝ/‖·‖), r ∈ {0, 0.5, 30}: condition number ≤ 1 + 30·16.
        double tau = Math.pow(10, pExponent);
        double r = redundancy == 0 ? 0 : redundancy == 1 ? 0.5 : 30;
        return new Batch(s, g, mask, batch, len, tau, tau * r / gScale);
    }

    /** A cosine Gram; with {@code duplicates}, some scales copy an earlier scale's vector (cosine 1). */
    static double[] gramWithDuplicates(Random rnd, int len, boolean duplicates) {
        double[] g = Problems.cosineGram(rnd, len, 1 + rnd.nextInt(len));
        if (!duplicates) return g;
        for (int i = 1; i < len; i++) {
            if (rnd.nextInt(3) != 0) continue;
            int j = rnd.nextInt(i);
            for (int k = 0; k < len; k++) {
                g[i * len + k] = g[j * len + k];
                g[k * len + i] = g[k * len + j];
            }
            g[i * len + i] = 1;
        }
        return g;
    }

    @Property(tries = 200)
    void exactSolveIsCertifiedAndOnTheSimplex(@ForAll long seed, @ForAll @IntRange(min = 2, max = 16) int len,
                                              @ForAll @IntRange(min = -12, max = 12) int sExponent,
                                              @ForAll @IntRange(min = -12, max = 12) int pExponent,
                                              @ForAll @IntRange(min = -12, max = 12) int gExponent,
                                              @ForAll @IntRange(min = 0, max = 2) int redundancy) {
        Batch in = batch(seed, len, sExponent, pExponent, gExponent, redundancy);
        Solution sol = in.solve(Options.exact());
        assertTrue(sol.maxKktResidual() <= 1e-9, "certificate " + sol.maxKktResidual());
        double[] w = sol.weights().toDoubleArray();
        Random rnd = new Random(seed + 1);
        for (int b = 0; b < in.batch(); b++) {
            int o = b * len;
            double sum = 0;
            int available = 0;
            for (int i = 0; i < len; i++) {
                assertTrue(w[o + i] >= 0, "negative weight");
                if (in.mask()[o + i] == 0) assertEquals(0, w[o + i], 0, "masked scale");
                else available++;
                sum += w[o + i];
            }
            assertEquals(available == 0 ? 0 : 1, sum, 1e-12, "row sum");
            if (available < 2) continue;
            // No feasible point does better: random points of the available face, and vertices.
            double[] s = new double[len];
            double[] g = new double[len * len];
            double scale = 0;
            for (int i = 0; i < len; i++) {
                s[i] = in.s()[o + i];
                scale = Math.max(scale, Math.abs(s[i]));
                for (int j = 0; j < len; j++) g[i * len + j] = in.g()[o * len + i * len + j];
            }
            scale += in.tau() + in.mu() * maxAbs(g);
            double[] wb = java.util.Arrays.copyOfRange(w, o, o + len);
            double best = Problems.objective(wb, s, g, in.tau(), in.mu());
            for (int t = 0; t < 20; t++) {
                double[] x = randomPoint(rnd, in.mask(), o, len, t < 5);
                assertTrue(best <= Problems.objective(x, s, g, in.tau(), in.mu()) + 1e-12 * scale, "a feasible point does better");
            }
        }
    }

    @Property(tries = 100)
    void fistaCertificatesDecreaseAndIteratesApproachTheExactSolution(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 16) int len,
            @ForAll @IntRange(min = -12, max = 12) int pExponent, @ForAll @IntRange(min = -2, max = 2) int sRelative,
            @ForAll @IntRange(min = 0, max = 2) int redundancy) {
        Batch in = batch(seed, len, pExponent + sRelative, pExponent, 0, Math.min(redundancy, 1));
        double[] exact = in.solve(Options.exact()).weights().toDoubleArray();
        double lastCert = Double.POSITIVE_INFINITY;
        double lastDist = Double.POSITIVE_INFINITY;
        for (int k : new int[] {10, 100, 1000}) {
            Solution sol = in.solve(Options.fista(k));
            double cert = sol.maxKktResidual();
            double[] w = sol.weights().toDoubleArray();
            double dist = 0;
            for (int i = 0; i < w.length; i++) dist = Math.max(dist, Math.abs(w[i] - exact[i]));
            assertTrue(cert <= Math.max(lastCert, 1e-12), "K = " + k + ": certificate " + cert + " after " + lastCert);
            assertTrue(dist <= Math.max(lastDist, 1e-12), "K = " + k + ": distance " + dist + " after " + lastDist);
            lastCert = cert;
            lastDist = dist;
        }
        assertTrue(lastDist <= 1e-6, "K = 1000: distance to the exact solution " + lastDist);
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** A random point of the simplex over the available scales of row {@code o} (a vertex when asked). */
    private static double[] randomPoint(Random rnd, double[] mask, int o, int len, boolean vertex) {
        double[] x = new double[len];
        double sum = 0;
        int pick = -1;
        for (int i = 0; i < len; i++) {
            if (mask[o + i] == 0) continue;
            if (vertex && (pick < 0 || rnd.nextInt(3) == 0)) pick = i;
            x[i] = -Math.log(1 - rnd.nextDouble());
            sum += x[i];
        }
        if (vertex) {
            java.util.Arrays.fill(x, 0);
            x[pick] = 1;
            return x;
        }
        for (int i = 0; i < len; i++) x[i] /= sum;
        return x;
    }
}
