package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
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

/** Both gradient modes of both solvers against finite differences, and against each other. */
class ContestGradientTest {
    /** Three instances away from active-set boundaries; 0.01 is inactive, the last row is masked. */
    private static final double[] V = {
        1.0, 2.0, 3.0, 0.01, 2.5,
        0.5, 0.7, 0.6, 0.65, 0.55,
        4.0, 1.0, 0.2, 3.0, 2.0};
    private static final long[] SHAPE = {3, 5};
    private static final double[] MASK = {
        1, 1, 1, 1, 1,
        1, 1, 1, 1, 1,
        1, 0, 1, 1, 0};

    @Test
    void exactImplicitMatchesFiniteDifferences() {
        gradCheck(ContestEquilibrium.Options.exact());
    }

    @Test
    void exactUnrolledIsTheSameClosedForm() {
        gradCheck(ContestEquilibrium.Options.exact().withGradient(GradientMode.UNROLLED));
        double[] cot = cotangent(V.length, 3);
        assertArrayEquals(gradient(V, MASK, SHAPE, ContestEquilibrium.Options.exact(), cot),
                gradient(V, MASK, SHAPE, ContestEquilibrium.Options.exact().withGradient(GradientMode.UNROLLED), cot), 0);
    }

    @Test
    void bestResponseUnrolledMatchesFiniteDifferences() {
        gradCheck(ContestEquilibrium.Options.bestResponse(8, 0.2));
        gradCheck(ContestEquilibrium.Options.bestResponse(25, 0.5));
        gradCheck(ContestEquilibrium.Options.bestResponse(3, 1.0));
    }

    @Test
    void bestResponseImplicitMatchesFiniteDifferencesOnceConverged() {
        gradCheck(ContestEquilibrium.Options.bestResponse(400, 0.2).withGradient(GradientMode.IMPLICIT));
    }

    /**
     * A batch large enough to be split into parallel chunks gives, instance by instance, exactly what
     * each instance gives alone: weights, gaps and gradients, for every solver and gradient mode.
     */
    @Test
    void aBatchSplitIntoChunksSolvesEveryInstanceAsAlone() {
        ContestInstances.Batch big = ContestInstances.moderate(new Random(11), 5000, 4);
        double[] cot = cotangent(big.v().length, 5);
        double[] mask = new double[big.available().length];
        for (int i = 0; i < mask.length; i++) mask[i] = big.available()[i] ? 1 : 0;
        for (ContestEquilibrium.Options o : new ContestEquilibrium.Options[] {ContestEquilibrium.Options.exact(),
                ContestEquilibrium.Options.bestResponse(8, 0.2), ContestEquilibrium.Options.bestResponse(8, 0.2).withGradient(GradientMode.IMPLICIT)}) {
            ContestInstances.Solved all = ContestInstances.solve(big, o);
            double[] gAll = gradient(big.v(), mask, big.shape(), o, cot);
            for (int c : new int[] {0, 1, 2047, 2048, 2049, 4095, 4096, 4999}) {
                int L = big.L();
                double[] v = big.row(c);
                double[] m = java.util.Arrays.copyOfRange(mask, c * L, (c + 1) * L);
                ContestInstances.Batch one = new ContestInstances.Batch(v, big.availableRow(c), 1, L);
                ContestInstances.Solved alone = ContestInstances.solve(one, o);
                assertArrayEquals(alone.w(), java.util.Arrays.copyOfRange(all.w(), c * L, (c + 1) * L), 0, o + " weights, instance " + c);
                assertEquals(alone.gaps()[0], all.gaps()[c], 0, o + " gap, instance " + c);
                double[] gOne = gradient(v, m, new long[] {1, L}, o, java.util.Arrays.copyOfRange(cot, c * L, (c + 1) * L));
                assertArrayEquals(gOne, java.util.Arrays.copyOfRange(gAll, c * L, (c + 1) * L), 0, o + " gradient, instance " + c);
            }
        }
    }

    /** The two-player closed form's derivative: ∂w_1/∂v_1 = v_2/(v_1 + v_2)², ∂w_1/∂v_2 = −v_1/(v_1 + v_2)². */
    @Test
    void twoPlayerDerivative() {
        double v1 = 3;
        double v2 = 0.5;
        double[] g = gradient(new double[] {v1, v2}, null, new long[] {2}, ContestEquilibrium.Options.exact(), new double[] {1, 0});
        double s = (v1 + v2) * (v1 + v2);
        assertArrayEquals(new double[] {v2 / s, -v1 / s}, g, 1e-15);
    }

    /**
     * UNROLLED through many iterations and IMPLICIT agree to 1e-6 (relative to the gradient's scale),
     * for both solvers' IMPLICIT, on instances where the dynamics converge (any magnitude).
     */
    @Property(tries = 100)
    void unrolledWithLargeKAgreesWithImplicit(@ForAll @IntRange(min = 2, max = 16) int L, @ForAll long seed) {
        Random rnd = new Random(seed);
        ContestInstances.Batch b = ContestInstances.moderate(rnd, 3, L);
        double[] mask = new double[b.v().length];
        for (int i = 0; i < mask.length; i++) mask[i] = b.available()[i] ? 1 : 0;
        double[] cot = cotangent(mask.length, seed);
        double[] implicit = gradient(b.v(), mask, b.shape(), ContestEquilibrium.Options.exact(), cot);
        double[] unrolled = gradient(b.v(), mask, b.shape(), ContestEquilibrium.Options.bestResponse(400, 0.2), cot);
        double[] brImplicit = gradient(b.v(), mask, b.shape(),
                ContestEquilibrium.Options.bestResponse(400, 0.2).withGradient(GradientMode.IMPLICIT), cot);
        for (int c = 0; c < b.count(); c++) {
            double scale = 0;
            for (int l = 0; l < L; l++) scale = Math.max(scale, Math.abs(implicit[c * L + l]));
            if (scale == 0) scale = 1 / max(b.v(), c * L, L);
            for (int l = 0; l < L; l++) {
                int i = c * L + l;
                assertEquals(implicit[i], unrolled[i], 1e-6 * scale, "unrolled, instance " + c + " scale " + l);
                assertEquals(implicit[i], brImplicit[i], 1e-6 * scale, "best-response implicit, instance " + c + " scale " + l);
            }
        }
    }

    @Test
    void unavailableScalesAndLonePlayersGetNoGradient() {
        double[] v = {1, 2, 3, 4, 5, 6};
        double[] mask = {0, 1, 0, 1, 1, 1};
        double[] cot = cotangent(v.length, 5);
        for (ContestEquilibrium.Options o : new ContestEquilibrium.Options[] {ContestEquilibrium.Options.exact(),
                ContestEquilibrium.Options.bestResponse(10, 0.2)}) {
            double[] g = gradient(v, mask, new long[] {2, 3}, o, cot);
            assertEquals(0, g[0], 0);
            assertEquals(0, g[1], 0);
            assertEquals(0, g[2], 0);
            assertTrue(g[3] != 0 && g[4] != 0 && g[5] != 0, o.toString());
        }
    }

    @Test
    void float32GradientsMatchFloat64() {
        double[] cot = cotangent(V.length, 9);
        for (ContestEquilibrium.Options o : new ContestEquilibrium.Options[] {ContestEquilibrium.Options.exact(),
                ContestEquilibrium.Options.bestResponse(10, 0.2)}) {
            double[] g64 = gradient(V, MASK, SHAPE, o, cot);
            try (Scope s = Scope.open()) {
                float[] f = new float[V.length];
                float[] fc = new float[V.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) V[i];
                    fc[i] = (float) cot[i];
                }
                Tensor v = Tensor.of(f, 3, 5).requiresGrad(true);
                INDArray mask = Nd4j.create(MASK, new long[] {3, 5}, DataType.DOUBLE);
                Tensor w = ContestEquilibrium.solve(v, Tensor.of(mask), o).weights();
                w.backward(Nd4j.create(fc, new long[] {3, 5}));
                assertEquals(DataType.FLOAT, v.grad().dataType());
                double[] g32 = v.grad().castTo(DataType.DOUBLE).data().asDouble();
                for (int i = 0; i < g64.length; i++) assertEquals(g64[i], g32[i], 1e-5 * (1 + Math.abs(g64[i])), o + " at " + i);
            }
        }
    }

    private static void gradCheck(ContestEquilibrium.Options o) {
        try (Scope s = Scope.open()) {
            INDArray mask = Nd4j.create(MASK, new long[] {3, 5}, DataType.DOUBLE);
            Tensor v = Tensor.of(V, 3, 5).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(in -> ContestEquilibrium.solve(in[0], Tensor.of(mask), o).weights(), v);
            assertTrue(r.passed(), o + ": " + r);
        }
    }

    static double[] gradient(double[] values, double[] mask, long[] shape, ContestEquilibrium.Options o, double[] cot) {
        try (Scope s = Scope.open()) {
            Tensor v = Tensor.of(values, shape).requiresGrad(true);
            INDArray m = mask == null ? null : Nd4j.create(mask, shape, DataType.DOUBLE);
            Tensor w = ContestEquilibrium.solve(v, m == null ? null : Tensor.of(m), o).weights();
            w.backward(Nd4j.create(cot, shape, DataType.DOUBLE));
            return v.grad().dup('c').data().asDouble();
        }
    }

    private static double[] cotangent(int n, long seed) {
        Random rnd = new Random(seed);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = rnd.nextGaussian();
        return c;
    }

    private static double max(double[] v, int off, int L) {
        double m = 0;
        for (int l = 0; l < L; l++) m = Math.max(m, v[off + l]);
        return m;
    }
}
