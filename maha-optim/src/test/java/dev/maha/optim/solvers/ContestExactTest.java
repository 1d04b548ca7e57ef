package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exact contest solver: simplex, certificate, independent equilibrium conditions, closed forms. */
class ContestExactTest {
    private static final ContestEquilibrium.Options EXACT = ContestEquilibrium.Options.exact();

    @Property(tries = 200)
    void extremeValuationsReachTheEquilibrium(@ForAll @IntRange(min = 2, max = 16) int L, @ForAll long seed) {
        ContestInstances.Batch b = ContestInstances.extreme(new Random(seed), 6, L);
        ContestInstances.Solved s = ContestInstances.solve(b, EXACT);
        ContestInstances.assertSimplex(b, s.w());
        assertTrue(s.maxGap() <= 1e-9, "gap " + s.maxGap());
        ContestInstances.assertEquilibrium(b, s.w(), 1e-9);
    }

    @Property(tries = 200)
    void moderateValuationsReachTheEquilibrium(@ForAll @IntRange(min = 2, max = 16) int L, @ForAll long seed) {
        ContestInstances.Batch b = ContestInstances.moderate(new Random(seed), 6, L);
        ContestInstances.Solved s = ContestInstances.solve(b, EXACT);
        ContestInstances.assertSimplex(b, s.w());
        assertTrue(s.maxGap() <= 1e-12, "gap " + s.maxGap());
        ContestInstances.assertEquilibrium(b, s.w(), 1e-12);
    }

    @Property(tries = 100)
    void theEquilibriumIsScaleFreeAndPermutationEquivariant(@ForAll @IntRange(min = 2, max = 16) int L, @ForAll long seed) {
        Random rnd = new Random(seed);
        ContestInstances.Batch b = ContestInstances.extreme(rnd, 1, L);
        double[] w = ContestInstances.solve(b, EXACT).w();
        double scale = Math.pow(10, -6 + 12 * rnd.nextDouble());
        double[] scaled = b.v().clone();
        for (int l = 0; l < L; l++) scaled[l] *= scale;
        double[] ws = ContestInstances.solve(new ContestInstances.Batch(scaled, b.available(), 1, L), EXACT).w();
        assertTrue(ContestInstances.maxAbsDiff(w, ws) <= 1e-12, "scaling by " + scale);
        double[] reversed = new double[L];
        boolean[] ra = new boolean[L];
        for (int l = 0; l < L; l++) {
            reversed[l] = b.v()[L - 1 - l];
            ra[l] = b.available()[L - 1 - l];
        }
        double[] wr = ContestInstances.solve(new ContestInstances.Batch(reversed, ra, 1, L), EXACT).w();
        for (int l = 0; l < L; l++) assertEquals(w[l], wr[L - 1 - l], 1e-15);
    }

    @Test
    void twoPlayersShareInProportionToTheirValuations() {
        // B = 1/(1/v1 + 1/v2) = v1 v2/(v1 + v2), so w1 = 1 − B/v1 = v1/(v1 + v2)
        double[][] pairs = {{3, 1}, {1, 1}, {0.2, 7}, {1e12, 1e-12}, {5e-12, 2e-12}, {1e6, 1}};
        for (double[] p : pairs) {
            ContestInstances.Batch b = new ContestInstances.Batch(p.clone(), new boolean[] {true, true}, 1, 2);
            double[] w = ContestInstances.solve(b, EXACT).w();
            assertEquals(p[0] / (p[0] + p[1]), w[0], 1e-15, "w1 for " + p[0] + ", " + p[1]);
            assertEquals(p[1] / (p[0] + p[1]), w[1], Math.ulp(1.0) * p[1] / (p[0] + p[1]) * 4, "w2 for " + p[0] + ", " + p[1]);
        }
    }

    @Test
    void handWorkedThreePlayerGames() {
        // [3, 2, 1]: m = 3 fails (1·(1/3 + 1/2) < 2), so A = {3, 2}: w = (3/5, 2/5, 0)
        assertArrayEquals(new double[] {0.6, 0.4, 0}, solve1(3, 2, 1), 1e-15);
        // [4, 2, 2]: B = 2/(1/4 + 1/2 + 1/2) = 1.6, w = 1 − B/v = (0.6, 0.2, 0.2)
        assertArrayEquals(new double[] {0.6, 0.2, 0.2}, solve1(4, 2, 2), 1e-15);
        // equal valuations share equally
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, solve1(7, 7, 7, 7), 1e-15);
        // [2, 2, 1]: B = 1/(1/2 + 1/2) = 1, and v3 = 1 ≤ B: the boundary player is out, w = (1/2, 1/2, 0)
        assertArrayEquals(new double[] {0.5, 0.5, 0}, solve1(2, 2, 1), 1e-15);
    }

    @Test
    void oneAvailablePlayerTakesEverythingAndNoneGivesZeros() {
        ContestInstances.Batch b = new ContestInstances.Batch(new double[] {2, 5, 3, 1, 4, 6},
                new boolean[] {false, true, false, false, false, false}, 2, 3);
        ContestInstances.Solved s = ContestInstances.solve(b, EXACT);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, s.w(), 0);
        assertArrayEquals(new double[] {0, 0}, s.gaps(), 0);
        ContestInstances.Batch single = new ContestInstances.Batch(new double[] {0.5}, new boolean[] {true}, 1, 1);
        assertArrayEquals(new double[] {1}, ContestInstances.solve(single, EXACT).w(), 0);
    }

    @Test
    void leadingAxesBoolMaskAndRankOneInputs() {
        try (Scope s = Scope.open()) {
            Tensor v = Tensor.of(new double[] {3, 2, 1, 4, 2, 2, 1, 1, 1, 5, 5, 1}, 2, 2, 3);
            INDArray mask = Nd4j.create(new double[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1}, new long[] {2, 2, 3}, DataType.DOUBLE)
                    .castTo(DataType.BOOL);
            ContestEquilibrium.Solution sol = ContestEquilibrium.solve(v, Tensor.of(mask), EXACT);
            assertArrayEquals(new long[] {2, 2, 3}, sol.weights().shape());
            assertArrayEquals(new double[] {0.6, 0.4, 0, 0.6, 0.2, 0.2, 0.5, 0, 0.5, 0, 5 / 6.0, 1 / 6.0},
                    sol.weights().toDoubleArray(), 1e-15);
            INDArray gap = sol.gap();
            assertArrayEquals(new long[] {2, 2}, gap.shape());
            assertTrue(sol.maxGap() <= 1e-15);

            ContestEquilibrium.Solution one = ContestEquilibrium.solve(Tensor.of(new double[] {1, 3}, 2), EXACT);
            assertArrayEquals(new double[] {0.25, 0.75}, one.weights().toDoubleArray(), 1e-15);
            assertEquals(0, one.gap().rank());
        }
    }

    @Test
    void float32InputsGiveFloat32WeightsMatchingFloat64() {
        try (Scope s = Scope.open()) {
            float[] f = {0.3f, 2.5f, 1.25f, 4f, 1e-3f, 1e3f, 7f, 7f};
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            ContestEquilibrium.Solution s32 = ContestEquilibrium.solve(Tensor.of(f, 2, 4), EXACT);
            ContestEquilibrium.Solution s64 = ContestEquilibrium.solve(Tensor.of(d, 2, 4), EXACT);
            assertEquals(DataType.FLOAT, s32.weights().dtype());
            assertArrayEquals(s64.weights().toDoubleArray(), s32.weights().toDoubleArray(), 1e-7);
            assertTrue(s32.maxGap() <= 1e-12, "gap of the double solve of float32 inputs");
        }
    }

    private static double[] solve1(double... v) {
        boolean[] a = new boolean[v.length];
        java.util.Arrays.fill(a, true);
        return ContestInstances.solve(new ContestInstances.Batch(v, a, 1, v.length), EXACT).w();
    }
}
