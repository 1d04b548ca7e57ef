package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Simplex projection and sparsemax: known values, masks, ties, data types, gradients, errors. */
class SimplexProjectionTest {
    private static INDArray row(double... v) {
        return Nd4j.createFromArray(v);
    }

    @Test
    void knownValues() {
        Tensor s = Tensor.of(new double[] {0.5, 0.2, 0.1, 3, 1, -2, 0.3, 0.3, 0.3}, 3, 3);
        double t = (0.8 - 1) / 3;
        INDArray expected = Nd4j.createFromArray(new double[][] {
            {0.5 - t, 0.2 - t, 0.1 - t}, {1, 0, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}});
        Close.assertAbsClose("projection", expected, SimplexProjection.project(s).value(), 1e-15);
        // two entries on the support: w = (v − θ)+ with θ = (1.2 + 1.0 − 1)/2 = 0.6
        Close.assertAbsClose("two active", row(0.6, 0.4, 0), SimplexProjection.project(Tensor.of(new double[] {1.2, 1.0, 0.1}, 3)).value(), 1e-15);
    }

    @Test
    void tiesAreSharedEqually() {
        Close.assertAbsClose("tie at the top", row(0.5, 0.5, 0, 0),
                SimplexProjection.project(Tensor.of(new double[] {2, 2, 0, 0}, 4)).value(), 1e-15);
        Close.assertAbsClose("all equal", row(0.25, 0.25, 0.25, 0.25),
                SimplexProjection.project(Tensor.of(new double[] {-7, -7, -7, -7}, 4)).value(), 1e-15);
        // the third entry sits exactly at θ = 0: a kink, counted off the support
        Close.assertAbsClose("tie at the threshold", row(1, 0, 0),
                SimplexProjection.project(Tensor.of(new double[] {1, 0, 0}, 3)).value(), 0);
    }

    /** The projection of the given doubles in exact decimal arithmetic (34 digits), for reference. */
    private static double[] exactProjection(double[] v) {
        java.math.MathContext mc = java.math.MathContext.DECIMAL128;
        java.math.BigDecimal[] u = new java.math.BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) u[i] = new java.math.BigDecimal(v[i]);
        java.util.Arrays.sort(u, java.util.Comparator.reverseOrder());
        java.math.BigDecimal cum = java.math.BigDecimal.ZERO;
        java.math.BigDecimal theta = null;
        for (int j = 0; j < u.length; j++) {
            cum = cum.add(u[j]);
            java.math.BigDecimal t = cum.subtract(java.math.BigDecimal.ONE).divide(java.math.BigDecimal.valueOf(j + 1), mc);
            if (u[j].compareTo(t) > 0) theta = t;
        }
        double[] w = new double[v.length];
        for (int i = 0; i < v.length; i++) w[i] = Math.max(0, new java.math.BigDecimal(v[i]).subtract(theta).doubleValue());
        return w;
    }

    @Test
    void largeCommonOffsetIsExact() {
        // (v − max v) is exact for close values (Sterbenz), so 1e12 + O(1) differences project to
        // machine precision, where the unshifted formula would lose ~1e-4 to the offset.
        double[] v = {1e12 + 0.3, 1e12 + 0.1, 1e12 + 0.2, 1e12 - 0.45, 1e12 + 0.25, -1e12};
        INDArray expected = Nd4j.createFromArray(exactProjection(v));
        Close.assertAbsClose("offset 1e12", expected, SimplexProjection.project(Tensor.of(v, 6)).value(), 1e-15);
        double[] small = {1e-12, 3e-12, -2e-12, 0};
        Close.assertAbsClose("tiny", Nd4j.createFromArray(exactProjection(small)),
                SimplexProjection.project(Tensor.of(small, 4)).value(), 1e-15);
    }

    @Test
    void maskedEntriesAreExcluded() {
        Tensor s = Tensor.of(new double[] {5, 0.2, 0.1, 1, 1, 1, 3, 2, 1}, 3, 3);
        Tensor mask = Tensor.owning(Nd4j.createFromArray(new boolean[][] {
            {false, true, true}, {false, false, false}, {false, false, true}}));
        INDArray expected = Nd4j.createFromArray(new double[][] {{0, 0.55, 0.45}, {0, 0, 0}, {0, 0, 1}});
        Close.assertAbsClose("masked", expected, SimplexProjection.project(s, mask).value(), 1e-15);
        // a numeric 0/1 mask of the input's type means the same
        Tensor numeric = Tensor.of(new double[] {0, 1, 1, 0, 0, 0, 0, 0, 1}, 3, 3);
        Close.assertAbsClose("numeric mask", expected, SimplexProjection.project(s, numeric).value(), 1e-15);
    }

    @Test
    void noAvailableEntryGivesZerosAndZeroGradient() {
        Tensor s = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor mask = Tensor.of(new double[] {0, 0, 0, 1, 0, 1}, 2, 3);
        Tensor w = SimplexProjection.project(s, mask);
        Close.assertAbsClose("weights", Nd4j.createFromArray(new double[][] {{0, 0, 0}, {0, 0, 1}}), w.value(), 0);
        w.backward(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        Close.assertAbsClose("gradient", Nd4j.zeros(DataType.DOUBLE, 2, 3), s.grad(), 0);
    }

    @Test
    void gradientIsCenteredOnTheSupport() {
        Tensor s = Tensor.of(new double[] {0.5, 0.2, -3, 0.1}, 4).requiresGrad(true);
        SimplexProjection.project(s).backward(row(1, 2, 7, 6));
        // support {0, 1, 3}: g − mean(g_S) = g − 3 there, 0 elsewhere
        Close.assertAbsClose("vjp", row(-2, -1, 0, 3), s.grad(), 1e-15);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor s = Tensor.randn(7, DataType.DOUBLE, 2, 3, 5).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> SimplexProjection.project(in[0]), s);
        assertTrue(r.passed(), r.toString());
        Tensor mask = Tensor.owning(Nd4j.createFromArray(new boolean[] {true, false, true, true, false}).reshape(1, 1, 5).broadcast(2, 3, 5).dup());
        GradCheck.Report masked = GradCheck.check(in -> SimplexProjection.project(in[0], mask), s);
        assertTrue(masked.passed(), "masked: " + masked);
        GradCheck.Report sparse = GradCheck.check(in -> Sparsemax.apply(in[0].mul(3.0), mask), s);
        assertTrue(sparse.passed(), "sparsemax: " + sparse);
    }

    @Test
    void sparsemaxIsTheProjection() {
        Tensor z = Tensor.randn(3, DataType.DOUBLE, 4, 6);
        assertArrayEquals(SimplexProjection.project(z).toDoubleArray(), Sparsemax.apply(z).toDoubleArray(), 0);
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1, 0, 1}, 6).reshape(1, 6);
        Tensor full = Tensor.owning(mask.value().broadcast(4, 6).dup());
        assertArrayEquals(SimplexProjection.project(z, full).toDoubleArray(), Sparsemax.apply(z, full).toDoubleArray(), 0);
    }

    @Test
    void float32InFloat32Out() {
        Tensor s = Tensor.of(new float[] {0.5f, 0.2f, 0.1f, 3, 1, -2}, 2, 3).requiresGrad(true);
        Tensor w = SimplexProjection.project(s);
        assertEquals(DataType.FLOAT, w.dtype());
        double t = (0.8 - 1) / 3;
        Close.assertAbsClose("float32", Nd4j.createFromArray(new double[][] {{0.5 - t, 0.2 - t, 0.1 - t}, {1, 0, 0}}), w.value(), 1e-7);
        w.backward(Nd4j.ones(DataType.FLOAT, 2, 3));
        assertEquals(DataType.FLOAT, s.grad().dataType());
        Close.assertAbsClose("float32 gradient", Nd4j.zeros(DataType.DOUBLE, 2, 3), s.grad(), 1e-7);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SimplexProjection.project(Tensor.of(new double[] {1, Double.NaN}, 2)));
        assertTrue(nan.getMessage().startsWith("simplex_projection: s holds NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> Sparsemax.apply(Tensor.of(new double[] {1, Double.NEGATIVE_INFINITY}, 2)));
        assertTrue(inf.getMessage().startsWith("sparsemax: z holds -Infinity"), inf.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> SimplexProjection.project(Tensor.zeros(DataType.DOUBLE, 2, 3), Tensor.zeros(DataType.DOUBLE, 3, 2)));
        assertTrue(shape.getMessage().contains("simplex_projection: mask shape [3, 2]") && shape.getMessage().contains("[2, 3]"),
                shape.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> SimplexProjection.project(Tensor.scalar(1, DataType.DOUBLE)));
        assertTrue(scalar.getMessage().startsWith("simplex_projection: s must have shape [..., L]"), scalar.getMessage());
    }
}
