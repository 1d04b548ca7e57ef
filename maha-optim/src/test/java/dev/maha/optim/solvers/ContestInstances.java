package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random contest instances and independent checks of their solutions, for the contest tests. */
final class ContestInstances {
    private ContestInstances() {
    }

    /** A batch of {@code count} instances of {@code L} scales, row-major, with its availability. */
    record Batch(double[] v, boolean[] available, int count, int L) {
        long[] shape() {
            return new long[] {count, L};
        }

        INDArray mask() {
            double[] m = new double[available.length];
            for (int i = 0; i < m.length; i++) m[i] = available[i] ? 1 : 0;
            return Nd4j.create(m, shape(), DataType.DOUBLE);
        }

        double[] row(int c) {
            return Arrays.copyOfRange(v, c * L, (c + 1) * L);
        }

        boolean[] availableRow(int c) {
            return Arrays.copyOfRange(available, c * L, (c + 1) * L);
        }
    }

    /** Weights and gaps of one solve, as plain arrays (the tensors are freed). */
    record Solved(double[] w, double[] gaps, double maxGap) {
    }

    static Solved solve(Batch b, ContestEquilibrium.Options options) {
        try (Scope s = Scope.open()) {
            INDArray mask = b.mask();
            ContestEquilibrium.Solution sol = ContestEquilibrium.solve(Tensor.of(b.v(), b.shape()), mask == null ? null : Tensor.of(mask), options);
            INDArray gap = sol.gap();
            Solved out = new Solved(sol.weights().toDoubleArray(), gap.data().asDouble(), sol.maxGap());
            gap.close();
            mask.close();
            return out;
        }
    }

    /**
     * Extreme instances: valuations log-uniform over [1e-12, 1e12], some tied, some masked (every
     * pattern, including all masked and one available).
     */
    static Batch extreme(Random rnd, int count, int L) {
        double[] v = new double[count * L];
        boolean[] a = new boolean[count * L];
        for (int c = 0; c < count; c++) {
            for (int l = 0; l < L; l++) {
                v[c * L + l] = Math.pow(10, -12 + 24 * rnd.nextDouble());
                a[c * L + l] = rnd.nextDouble() < 0.8;
            }
            int ties = rnd.nextInt(3);
            for (int t = 0; t < ties * L / 3; t++) v[c * L + rnd.nextInt(L)] = v[c * L + rnd.nextInt(L)];
            if (rnd.nextInt(10) == 0) v[c * L + rnd.nextInt(L)] *= 1 + 1e-15;   // near-ties
        }
        return new Batch(v, a, count, L);
    }

    /**
     * Instances where damped best response provably contracts at the default η: the strong players lie
     * within a factor 10 of each other (some tied), weak players 1e3 to 1e9 times below them (inactive),
     * an overall scale from 1e-12 to 1e12, some scales masked (at least two strong ones stay).
     */
    static Batch moderate(Random rnd, int count, int L) {
        double[] v = new double[count * L];
        boolean[] a = new boolean[count * L];
        for (int c = 0; c < count; c++) {
            double scale = Math.pow(10, -12 + 24 * rnd.nextDouble());
            int weak = rnd.nextInt(3) == 0 ? rnd.nextInt(L - 1) : 0;
            for (int l = 0; l < L; l++) {
                double x = Math.exp(Math.log(10) * rnd.nextDouble());
                if (l < weak) x *= Math.pow(10, -9 + 6 * rnd.nextDouble());
                v[c * L + l] = scale * x;
                a[c * L + l] = true;
            }
            if (rnd.nextBoolean()) {
                for (int t = 0; t < L / 2; t++) v[c * L + weak + rnd.nextInt(L - weak)] = v[c * L + L - 1];
            }
            int strong = L - weak;
            for (int l = weak; l < L && strong > 2; l++) {
                if (rnd.nextInt(4) == 0) {
                    a[c * L + l] = false;
                    strong--;
                }
            }
        }
        return new Batch(v, a, count, L);
    }

    /** Every row on the simplex of its available scales to 1e-12 (all zeros when none is available). */
    static void assertSimplex(Batch b, double[] w) {
        for (int c = 0; c < b.count(); c++) {
            double sum = 0;
            int n = 0;
            for (int l = 0; l < b.L(); l++) {
                int i = c * b.L() + l;
                if (b.available()[i]) n++;
                if (!b.available()[i] && w[i] != 0) fail("instance " + c + ": unavailable scale " + l + " has weight " + w[i]);
                if (!(w[i] >= 0)) fail("instance " + c + ": weight " + l + " is " + w[i]);
                sum += w[i];
            }
            assertEquals(n == 0 ? 0 : 1, sum, 1e-12, "instance " + c + " sums to " + sum);
        }
    }

    /**
     * Independent equilibrium check from the weights alone. On the support {@code w_l = 1 − B/v_l} with
     * one common total bid B: B is read from a supported player with {@code w ≤ 1/2} (where
     * {@code v·(1 − w)} is well conditioned), every other such player must give the same B to
     * {@code rtol}, the one player with {@code w > 1/2} (if any) must have {@code w = 1 − B/v} to 1e-12,
     * and every available player off the support must have {@code v_l ≤ B} (its best response to the
     * others' total B is 0).
     */
    static void assertEquilibrium(Batch b, double[] w, double rtol) {
        int L = b.L();
        for (int c = 0; c < b.count(); c++) {
            int n = 0;
            double total = -1;
            for (int l = 0; l < L; l++) {
                int i = c * L + l;
                if (b.available()[i]) n++;
                if (w[i] > 0 && w[i] <= 0.5) total = b.v()[i] * (1 - w[i]);
            }
            if (n < 2) continue;
            String where = "instance " + c + " " + Arrays.toString(b.row(c)) + " " + Arrays.toString(b.availableRow(c));
            assertTrue(total > 0, where + ": no supported player with w <= 1/2");
            for (int l = 0; l < L; l++) {
                int i = c * L + l;
                if (!b.available()[i]) continue;
                double vl = b.v()[i];
                if (w[i] > 0.5) {
                    assertEquals(1 - total / vl, w[i], 1e-12, where + ": dominant player " + l);
                } else if (w[i] > 0) {
                    double bl = vl * (1 - w[i]);
                    assertTrue(Math.abs(bl - total) <= rtol * total, where + ": player " + l + " has v(1 − w) = " + bl
                            + ", others " + total);
                } else {
                    assertTrue(vl <= total * (1 + rtol), where + ": inactive player " + l + " with v = " + vl
                            + " > B = " + total);
                }
            }
        }
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
