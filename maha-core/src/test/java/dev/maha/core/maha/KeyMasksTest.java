package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.biases;
import static dev.maha.core.maha.PyramidTesting.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KeyMasksTest {

    @Test
    void coverIsTheReceptiveFieldOfTheActualDownsampling() {
        // Row t of a batch has fine token t raised by 50: coarse token j changes iff t is in cover(j).
        int d = 2;
        for (Decomposition mode : Decomposition.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                for (int ratio = 2; ratio <= 3; ratio++) {
                    final int r = ratio;
                    int[] kernels = !mode.hasWeights() ? new int[] {3} : causal ? new int[] {1, 2, 3, 4, 5} : new int[] {1, 3, 5};
                    for (int k : kernels) {
                        Tensor w = mode.hasWeights() ? weights(k, mode, 1, d, k, DataType.DOUBLE).get(0) : null;
                        Tensor b = mode.hasWeights() ? biases(k, mode, 1, d, DataType.DOUBLE).get(0) : null;
                        for (int n = 1; n <= 13; n++) {
                            int[][] changed = dependence(n, d, x -> Downsampling.downsample(x, w, b, mode, r, k, causal));
                            for (int t = 0; t < n; t++) {
                                for (int j = 0; j < changed[t].length; j++) {
                                    int[] c = KeyMasks.cover(j, n, mode, r, k, causal);
                                    boolean inside = c[0] <= t && t <= c[1];
                                    assertEquals(inside, changed[t][j] == 1, mode + " causal=" + causal + " r=" + r + " k=" + k
                                            + " n=" + n + ": coarse " + j + " vs fine " + t + " (cover " + c[0] + ".." + c[1] + ")");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aCoarseTokenIsValidIffAnyInputTokenItSeesIsValid() {
        // Through the whole pyramid: level-l token j is valid iff some valid input token changes it.
        Random rnd = new Random(3);
        int d = 2;
        int scales = 4;
        for (Decomposition mode : Decomposition.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                int r = 2;
                List<Tensor> w = weights(5, mode, scales - 1, d, 3, DataType.DOUBLE);
                List<Tensor> b = biases(6, mode, scales - 1, d, DataType.DOUBLE);
                MahaConfig cfg = MahaConfig.builder().width(d).heads(1).scales(scales).ratio(r).decomposition(mode)
                        .causal(causal).aggregation(MahaConfig.Aggregation.MEAN).build();
                for (int n : new int[] {1, 5, 8, 13, 17}) {
                    boolean[][] valid = new boolean[3][n];
                    for (int i = 0; i < 3; i++) for (int t = 0; t < n; t++) valid[i][t] = rnd.nextInt(4) == 0;
                    valid[1] = new boolean[n];                                       // a row with no valid token
                    for (int t = 0; t < Math.min(n, 3); t++) valid[2][t] = true;     // right padding after 3 tokens
                    List<INDArray> masks = KeyMasks.pyramid(KeyMasks.toArray(valid), cfg);
                    for (int l = 0; l < scales; l++) {
                        final int level = l;
                        int[][] dep = dependence(n, d, x -> Downsampling.pyramid(x, w, b, mode, scales, r, 3, causal).get(level));
                        boolean[][] m = KeyMasks.fromArray(masks.get(l));
                        int nl = ScaleLengths.at(n, l, r, causal);
                        assertArrayEquals(new long[] {3, nl}, masks.get(l).shape());
                        assertEquals(DataType.BOOL, masks.get(l).dataType());
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < nl; j++) {
                                boolean any = false;
                                for (int t = 0; t < n; t++) any |= dep[t][j] == 1 && valid[i][t];
                                assertEquals(any, m[i][j], mode + " causal=" + causal + " n=" + n + " level " + l + " row " + i + " token " + j);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rightPaddingIsCarriedDown() {
        // 16 tokens of which the first 5 are real; conv k = 3, r = 2, non-causal: coarse j covers 2j−1..2j+1.
        boolean[][] valid = new boolean[1][16];
        for (int t = 0; t < 5; t++) valid[0][t] = true;
        boolean[][] l1 = KeyMasks.carry(valid, 1, Decomposition.CONV, 2, 3, false);
        assertArrayEquals(new boolean[] {true, true, true, false, false, false, false, false}, l1[0]);
        boolean[][] l2 = KeyMasks.carry(valid, 2, Decomposition.CONV, 2, 3, false);
        assertArrayEquals(new boolean[] {true, true, false, false}, l2[0]);
        // pooling covers 2j..2j+1 only
        assertArrayEquals(new boolean[] {true, true, true, false, false, false, false, false},
                KeyMasks.carry(valid, 1, Decomposition.MAX_POOL, 2, 3, false)[0]);
        assertArrayEquals(new boolean[] {true, true, false, false}, KeyMasks.carry(valid, 2, Decomposition.AVG_POOL, 2, 3, true)[0]);
        // level 0 is a copy
        boolean[][] l0 = KeyMasks.carry(valid, 0, Decomposition.CONV, 2, 3, false);
        l0[0][0] = false;
        assertTrue(valid[0][0]);
    }

    @Test
    void emptyCausalLevelsGiveEmptyMasks() {
        MahaConfig cfg = MahaConfig.builder().width(4).heads(1).scales(3).ratio(2).causal(true)
                .aggregation(MahaConfig.Aggregation.NASH).build();
        INDArray valid = Nd4j.createFromArray(new boolean[][] {{true, true, false}, {true, false, false}});
        List<INDArray> masks = KeyMasks.pyramid(valid, cfg);
        assertArrayEquals(new long[] {2, 3}, masks.get(0).shape());
        assertArrayEquals(new long[] {2, 1}, masks.get(1).shape());
        assertArrayEquals(new long[] {2, 0}, masks.get(2).shape());
        assertArrayEquals(new boolean[][] {{true}, {true}}, KeyMasks.fromArray(masks.get(1)));
        assertArrayEquals(new long[] {2, 0}, KeyMasks.carry(valid, 2, cfg).shape());
        // numeric masks: nonzero = valid
        INDArray numeric = Nd4j.createFromArray(new double[][] {{0, 0, 1}});
        assertArrayEquals(new boolean[][] {{false, false, true}}, KeyMasks.fromArray(numeric));
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyMasks.fromArray(Nd4j.createFromArray(new boolean[] {true, false})));
        assertEquals("KeyMasks: valid must be [B, n] (rank 2), got [2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeyMasks.step(new boolean[][] {{true}}, Decomposition.CONV, 1, 3, false));
        assertEquals("KeyMasks: ratio r (1) must be >= 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeyMasks.step(new boolean[][] {{true}}, Decomposition.CONV, 2, 4, false));
        assertEquals("KeyMasks: kernel k (4) must be >= 1, and odd when non-causal", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeyMasks.step(new boolean[][] {{true}, {true, false}},
                Decomposition.MAX_POOL, 2, 3, false));
        assertEquals("KeyMasks: rows have different lengths (1 and 2)", e.getMessage());
    }

    /**
     * {@code dep[t][j] = 1} iff raising input token t (all channels, by 50) changes output token j of
     * {@code f} ([1, n, d] → [1, n', d]); computed in one batch whose row t holds the change at t.
     */
    static int[][] dependence(int n, int d, java.util.function.Function<Tensor, Tensor> f) {
        try (NoGrad off = NoGrad.enter()) {
            Random rnd = new Random(n);
            double[] x = new double[n * d];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
            double[] base = new double[n * n * d];
            double[] changed = new double[n * n * d];
            for (int row = 0; row < n; row++) {
                System.arraycopy(x, 0, base, row * n * d, n * d);
                System.arraycopy(x, 0, changed, row * n * d, n * d);
                for (int c = 0; c < d; c++) changed[(row * n + row) * d + c] += 50;
            }
            double[][][] y0 = PyramidTesting.nested(f.apply(Tensor.of(base, n, n, d)).value());
            double[][][] y1 = PyramidTesting.nested(f.apply(Tensor.of(changed, n, n, d)).value());
            int nOut = y0[0].length;
            int[][] dep = new int[n][nOut];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < nOut; j++) {
                    for (int c = 0; c < d; c++) if (y0[t][j][c] != y1[t][j][c]) dep[t][j] = 1;
                }
            }
            return dep;
        }
    }
}
