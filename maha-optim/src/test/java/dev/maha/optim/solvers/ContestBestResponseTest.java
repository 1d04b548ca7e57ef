package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Damped best response: it approaches the exact equilibrium as K grows, and damping is what makes it. */
class ContestBestResponseTest {
    private static final ContestEquilibrium.Options EXACT = ContestEquilibrium.Options.exact();

    private static ContestEquilibrium.Options br(int k) {
        return ContestEquilibrium.Options.bestResponse().withIterations(k);
    }

    /**
     * Over instances inside the default damping's contraction region (strong players within a factor
     * 10, any magnitude from 1e-12 to 1e12, ties, masks, inactive weak players): the distance to the
     * exact weights and the certificate both shrink as K grows, and K = 400 reaches rounding level.
     */
    @Property(tries = 200)
    void iteratesApproachTheExactEquilibrium(@ForAll @IntRange(min = 2, max = 16) int L, @ForAll long seed) {
        ContestInstances.Batch b = ContestInstances.moderate(new Random(seed), 4, L);
        double[] exact = ContestInstances.solve(b, EXACT).w();
        int[] ks = {10, 40, 160, 400};
        double[] dist = new double[ks.length];
        double[] gap = new double[ks.length];
        for (int j = 0; j < ks.length; j++) {
            ContestInstances.Solved s = ContestInstances.solve(b, br(ks[j]));
            ContestInstances.assertSimplex(b, s.w());
            dist[j] = ContestInstances.maxAbsDiff(s.w(), exact);
            gap[j] = s.maxGap();
        }
        String where = "K " + Arrays.toString(ks) + ": |w − w*| " + Arrays.toString(dist) + ", gap " + Arrays.toString(gap);
        for (int j = 1; j < ks.length; j++) {
            assertTrue(dist[j] <= dist[j - 1] + 1e-15, where);
            assertTrue(gap[j] <= gap[j - 1] + 1e-15, where);
        }
        assertTrue(dist[ks.length - 1] <= 1e-9, where);
        assertTrue(gap[ks.length - 1] <= 1e-12, where);
    }

    /** The default K = 50 on typical valuations (softplus of unit normals): close (measured 5e-4), not exact. */
    @Test
    void defaultsOnTypicalValuations() {
        Random rnd = new Random(11);
        int count = 200;
        int L = 8;
        double[] v = new double[count * L];
        for (int i = 0; i < v.length; i++) v[i] = Math.log1p(Math.exp(rnd.nextGaussian())) + 1e-6;
        boolean[] a = new boolean[v.length];
        Arrays.fill(a, true);
        ContestInstances.Batch b = new ContestInstances.Batch(v, a, count, L);
        double[] exact = ContestInstances.solve(b, EXACT).w();
        ContestInstances.Solved s = ContestInstances.solve(b, ContestEquilibrium.Options.bestResponse());
        double dist = ContestInstances.maxAbsDiff(s.w(), exact);
        assertTrue(dist <= 1e-3, "default K = 50: |w − w*| = " + dist);
        double d100 = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(100)).w(), exact);
        assertTrue(d100 <= 1e-5, "K = 100: " + d100);
        double d300 = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(300)).w(), exact);
        assertTrue(d300 <= 1e-12, "K = 300: " + d300);
    }

    /**
     * Why damping: sixteen nearly equal players, where plain simultaneous best response (η = 1) keeps
     * oscillating around the equilibrium (the mode with λ = −7 is amplified), while η = 0.2 converges.
     */
    @Test
    void undampedBestResponseOscillatesWhereTheDefaultConverges() {
        int L = 16;
        double[] v = new double[L];
        for (int l = 0; l < L; l++) v[l] = 1 + 0.01 * l;
        boolean[] a = new boolean[L];
        Arrays.fill(a, true);
        ContestInstances.Batch b = new ContestInstances.Batch(v, a, 1, L);
        double[] exact = ContestInstances.solve(b, EXACT).w();
        double undamped = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(300).withDamping(1)).w(), exact);
        double damped = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(300)).w(), exact);
        assertTrue(undamped > 1e-3, "η = 1 should not converge here, |w − w*| = " + undamped);
        assertTrue(damped <= 1e-12, "η = 0.2: |w − w*| = " + damped);
    }

    /**
     * Wider spreads need smaller damping: two players with ratio 100 need η < 8r/(r + 1)² ≈ 0.078; the
     * default η = 0.2 does not settle there, η = 0.05 does as K grows.
     */
    @Test
    void widerSpreadsNeedSmallerDamping() {
        ContestInstances.Batch b = new ContestInstances.Batch(new double[] {100, 1}, new boolean[] {true, true}, 1, 2);
        double[] exact = ContestInstances.solve(b, EXACT).w();
        double dflt = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(2000)).w(), exact);
        assertTrue(dflt > 1e-6, "η = 0.2 at r = 100: |w − w*| = " + dflt);
        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[] {250, 500, 1000, 2000}) {
            double d = ContestInstances.maxAbsDiff(ContestInstances.solve(b, br(k).withDamping(0.05)).w(), exact);
            assertTrue(d <= previous, "K = " + k + ": " + d + " after " + previous);
            previous = d;
        }
        assertTrue(previous <= 1e-12, "η = 0.05, K = 2000: " + previous);
    }

    @Test
    void oneAvailablePlayerTakesEverythingAndNoneGivesZeros() {
        ContestInstances.Batch b = new ContestInstances.Batch(new double[] {2, 5, 3, 1, 4, 6},
                new boolean[] {false, true, false, false, false, false}, 2, 3);
        ContestInstances.Solved s = ContestInstances.solve(b, br(5));
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, s.w(), 0);
        assertArrayEquals(new double[] {0, 0}, s.gaps(), 0);
    }

    /** Equal valuations start at the symmetric equilibrium and stay there. */
    @Test
    void equalValuationsStartAtTheEquilibrium() {
        double[] v = {3, 3, 3, 3, 3};
        boolean[] a = {true, true, true, true, true};
        ContestInstances.Solved s = ContestInstances.solve(new ContestInstances.Batch(v, a, 1, 5), br(1));
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, s.w(), 1e-15);
        assertTrue(s.maxGap() <= 1e-15, "gap " + s.maxGap());
    }

    /**
     * With η = 1 and valuations 100 and 1, player 2's best response is 0 after one step, so player 1
     * faces others' total 0 (best response undefined): the floor keeps every iterate finite, positive
     * in sum and on the simplex, and the unrolled gradient finite.
     */
    @Test
    void undampedStepsWhereTheOthersBidNothingStayFinite() {
        ContestInstances.Batch b = new ContestInstances.Batch(new double[] {100, 1}, new boolean[] {true, true}, 1, 2);
        for (int k = 1; k <= 6; k++) {
            ContestEquilibrium.Options o = br(k).withDamping(1);
            ContestInstances.Solved s = ContestInstances.solve(b, o);
            ContestInstances.assertSimplex(b, s.w());
            assertTrue(Double.isFinite(s.maxGap()), "K = " + k);
            double[] g = ContestGradientTest.gradient(b.v(), null, new long[] {2}, o, new double[] {1, -1});
            assertTrue(Double.isFinite(g[0]) && Double.isFinite(g[1]), "K = " + k + ": " + Arrays.toString(g));
        }
    }
}
