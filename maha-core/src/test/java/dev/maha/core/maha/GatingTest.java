package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.assertPrefixBitIdentical;
import static dev.maha.core.maha.PyramidTesting.biases;
import static dev.maha.core.maha.PyramidTesting.cuts;
import static dev.maha.core.maha.PyramidTesting.futureChanged;
import static dev.maha.core.maha.PyramidTesting.nested;
import static dev.maha.core.maha.PyramidTesting.randn;
import static dev.maha.core.maha.PyramidTesting.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GatingTest {

    @Test
    void matchesTheFormulaAppliedFromTheCoarsestLevelUp() {
        int d = 3;
        int r = 2;
        for (boolean causal : new boolean[] {false, true}) {
            for (int n : new int[] {9, 16}) {
                int[] len = ScaleLengths.of(n, 3, r, 3, causal);
                List<Tensor> xs = new ArrayList<>();
                for (int l = 0; l < 3; l++) xs.add(randn(10 + l, 2, len[l], d));
                List<Tensor> w = List.of(randn(20, d, 2 * d), randn(21, d, 2 * d));
                List<Tensor> b = List.of(randn(22, d), randn(23, d));
                List<Tensor> gated = Gating.gate(xs, w, b, r, causal);
                assertSame(xs.get(2), gated.get(2));

                double[][][][] x = new double[3][][][];
                for (int l = 0; l < 3; l++) x[l] = nested(xs.get(l).value());
                for (int l = 1; l >= 0; l--) x[l] = gateByHand(x[l], x[l + 1], w.get(l).value(), b.get(l).value(), r, causal);
                for (int l = 0; l < 2; l++) {
                    Close.assertClose("causal=" + causal + " n=" + n + " level " + l, Nd4j.create(x[l]), gated.get(l).value(), 1e-12);
                }
            }
        }
    }

    @Test
    void futureTokensNeverChangeThePast() {
        int d = 2;
        int scales = 4;
        Tensor[][] probes = new Tensor[71][];
        for (int n = 1; n <= 70; n++) probes[n] = futureChanged(2000 + n, n, d);
        for (Decomposition mode : new Decomposition[] {Decomposition.CONV, Decomposition.MAX_POOL}) {
            for (int r = 2; r <= 3; r++) {
                List<Tensor> w = weights(1, mode, scales - 1, d, 3, DataType.DOUBLE);
                List<Tensor> b = biases(2, mode, scales - 1, d, DataType.DOUBLE);
                List<Tensor> gw = new ArrayList<>();
                List<Tensor> gb = new ArrayList<>();
                for (int l = 0; l < scales - 1; l++) {
                    gw.add(randn(30 + l, d, 2 * d));
                    gb.add(randn(40 + l, d));
                }
                for (int n = 1; n <= 70; n++) {
                    List<INDArray> base = gatedAndUpsampled(probes[n][0], w, b, gw, gb, mode, scales, r);
                    List<INDArray> after = gatedAndUpsampled(probes[n][1], w, b, gw, gb, mode, scales, r);
                    for (int l = 0; l < scales; l++) {
                        assertPrefixBitIdentical(mode + " r=" + r + " n=" + n + " level " + l, base.get(l), after.get(l), cuts(n));
                    }
                }
            }
        }
    }

    @Test
    void unavailableAndEmptyCoarseLevelsGiveAZeroPartner() {
        // causal n = 3, r = 2: lengths 3, 1, 0. Level 2 is empty (left as is), level 1 is gated with U = 0,
        // so X_1 ← σ([X_1; 0] W + b) ⊙ X_1; level 0 position 0 sees no complete coarse token.
        int d = 2;
        List<Tensor> xs = List.of(randn(1, 1, 3, d), randn(2, 1, 1, d), Tensor.zeros(DataType.DOUBLE, 1, 0, d));
        List<Tensor> w = List.of(randn(3, d, 2 * d), randn(4, d, 2 * d));
        List<Tensor> b = List.of(randn(5, d), randn(6, d));
        List<Tensor> gated = Gating.gate(xs, w, b, 2, true);
        assertArrayEquals(new long[] {1, 0, d}, gated.get(2).shape());
        double[][][] x1 = gateByHand(nested(xs.get(1).value()), new double[1][0][d], w.get(1).value(), b.get(1).value(), 2, true);
        Close.assertClose("level 1", Nd4j.create(x1), gated.get(1).value(), 1e-12);
        double[][][] x0 = gateByHand(nested(xs.get(0).value()), x1, w.get(0).value(), b.get(0).value(), 2, true);
        Close.assertClose("level 0", Nd4j.create(x0), gated.get(0).value(), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int d = 2;
        for (boolean causal : new boolean[] {false, true}) {
            int n = 7;
            int[] len = ScaleLengths.of(n, 3, 2, 3, causal);
            Tensor x0 = randn(1, 2, len[0], d).requiresGrad(true);
            Tensor x1 = randn(2, 2, len[1], d).requiresGrad(true);
            Tensor x2 = randn(3, 2, len[2], d).requiresGrad(true);
            Tensor w0 = randn(4, d, 2 * d).requiresGrad(true);
            Tensor w1 = randn(5, d, 2 * d).requiresGrad(true);
            Tensor b0 = randn(6, d).requiresGrad(true);
            Tensor b1 = randn(7, d).requiresGrad(true);
            GradCheck.Report rep = GradCheck.check(in -> Tensor.concat(1, Gating.gate(List.of(in[0], in[1], in[2]),
                    List.of(in[3], in[4]), List.of(in[5], in[6]), 2, causal).toArray(new Tensor[0])), x0, x1, x2, w0, w1, b0, b1);
            assertTrue(rep.passed(), "causal=" + causal + ": " + rep);
        }
    }

    @Test
    void float32Works() {
        int d = 4;
        List<Tensor> xs = List.of(randn(1, 2, 10, d), randn(2, 2, 5, d), randn(3, 2, 3, d));
        List<Tensor> w = List.of(randn(4, d, 2 * d), randn(5, d, 2 * d));
        List<Tensor> g64 = Gating.gate(xs, w, null, 2, false);
        List<Tensor> g32 = Gating.gate(xs.stream().map(t -> t.cast(DataType.FLOAT)).toList(),
                w.stream().map(t -> t.cast(DataType.FLOAT)).toList(), null, 2, false);
        for (int l = 0; l < 3; l++) {
            assertEquals(DataType.FLOAT, g32.get(l).dtype());
            Close.assertClose("float32 level " + l, g64.get(l).value(), g32.get(l).value(), 1e-5);
        }
    }

    @Test
    void rejectsBadShapes() {
        int d = 2;
        List<Tensor> xs = List.of(randn(1, 1, 8, d), randn(2, 1, 4, d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gating.gate(xs, List.of(randn(3, d, d)), null, 2, false));
        assertEquals("gating: weights[0] must be [2, 4], got [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gating.gate(xs, List.of(), null, 2, false));
        assertEquals("gating: weights has 0 entries but scales − 1 is 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gating.gate(List.of(randn(1, 1, 8, d), randn(2, 1, 3, d)), List.of(randn(3, d, 2 * d)), null, 2, false));
        assertEquals("gating: X_1 must be [1, 4, 2], got [1, 3, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gating.gate(xs, List.of(randn(3, d, 2 * d)), Arrays.asList(randn(4, 3)), 2, false));
        assertEquals("gating: biases[0] must be [2], got [3]", e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    static List<INDArray> gatedAndUpsampled(Tensor x, List<Tensor> w, List<Tensor> b, List<Tensor> gw, List<Tensor> gb,
                                            Decomposition mode, int scales, int r) {
        try (NoGrad off = NoGrad.enter()) {
            int n = (int) x.size(1);
            List<Tensor> xs = Gating.gate(Downsampling.pyramid(x, w, b, mode, scales, r, 3, true), gw, gb, r, true);
            List<INDArray> out = new ArrayList<>();
            for (int l = 0; l < scales; l++) out.add(Upsampling.upsample(xs.get(l), 1, n, l, r, true).value());
            return out;
        }
    }

    /** One gate by hand: U by the adjacent-level rule, z = σ(W [x; U] + b), z x + (1 − z) U. */
    static double[][][] gateByHand(double[][][] x, double[][][] coarse, INDArray w, INDArray b, int r, boolean causal) {
        int bs = x.length;
        int n = x[0].length;
        int d = x[0][0].length;
        int nc = coarse[0].length;
        double[][][] out = new double[bs][n][d];
        for (int i = 0; i < bs; i++) {
            for (int t = 0; t < n; t++) {
                int src = causal ? (t + 1) / r - 1 : (int) ((long) t * nc / n);
                double[] u = src >= 0 && src < nc ? coarse[i][src] : new double[d];
                for (int o = 0; o < d; o++) {
                    double a = b.getDouble(o);
                    for (int c = 0; c < d; c++) a += w.getDouble(o, c) * x[i][t][c] + w.getDouble(o, d + c) * u[c];
                    double z = 1 / (1 + Math.exp(-a));
                    out[i][t][o] = z * x[i][t][o] + (1 - z) * u[o];
                }
            }
        }
        return out;
    }
}
