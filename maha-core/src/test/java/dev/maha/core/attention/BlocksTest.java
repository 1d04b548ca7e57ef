package dev.maha.core.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The block gather, the key-gradient sums, the padded windows and the band fill, against element-by-element loops. */
class BlocksTest {
    /**
     * (n, c, left, span) for query blocks of c and a window w: causal (left = w − 1, span = c + w − 1) and
     * non-causal (left = ⌊w/2⌋, span = c + 2⌊w/2⌋); blocks of c = w, and blocks smaller than the window
     * (then up to ⌈span/c⌉ blocks see the same key, which the key-gradient sums must add up).
     */
    private static final int[][] CASES = {
        {1, 1, 0, 1}, {7, 1, 0, 1}, {7, 3, 2, 5}, {7, 3, 1, 5}, {9, 3, 2, 5}, {10, 4, 3, 7}, {10, 4, 2, 8},
        {5, 8, 7, 15}, {5, 8, 4, 16}, {17, 5, 2, 9},
        {20, 2, 4, 6}, {23, 3, 7, 10}, {19, 2, 3, 8}, {9, 4, 7, 11}, {3, 2, 7, 9}};

    @Test
    void gatherTakesTheKeysEachBlockSees() {
        for (int[] c : CASES) {
            int n = c[0];
            int w = c[1];
            int left = c[2];
            int span = c[3];
            long nb = (n + w - 1) / w;
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                // A permuted (non-contiguous) input: [2, n, 3, 4] viewed as [2, 3, n, 4].
                INDArray x = Nd4j.rand(dt, 2, n, 3, 4).permute(0, 2, 1, 3);
                INDArray got = Blocks.gather(x, nb, w, left, span);
                assertArrayEquals(new long[] {2, 3, nb, span, 4}, got.shape());
                for (int a = 0; a < 2; a++) {
                    for (int h = 0; h < 3; h++) {
                        for (int b = 0; b < nb; b++) {
                            for (int s = 0; s < span; s++) {
                                int pos = b * w - left + s;
                                for (int d = 0; d < 4; d++) {
                                    double want = pos >= 0 && pos < n ? x.getDouble(a, h, pos, d) : 0;
                                    assertEquals(want, got.getDouble(a, h, b, s, d), 0, "n=" + n + " w=" + w + " block " + b + " key " + s);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The in-place route of the attention op: windows over zero-padded rows hold exactly what the gather
     * copies, for a head split of a row-major array (one copy per batch element), a row-major
     * [B, h, n, d] array, and a head split at a non-zero offset (a batch slice).
     */
    @Test
    void windowsOverPaddedRowsHoldTheGatheredKeys() {
        for (int[] c : CASES) {
            int n = c[0];
            int w = c[1];
            int left = c[2];
            int span = c[3];
            long nb = (n + w - 1) / w;
            long rows = left + nb * w + (span - w - left);
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                INDArray split = Nd4j.rand(dt, 2, n, 3, 4).permute(0, 2, 1, 3);
                INDArray rowMajor = Nd4j.rand(dt, 2, 3, n, 4);
                INDArray sliced = Nd4j.rand(dt, 3, n, 3, 4).get(NDArrayIndex.interval(1, 3)).permute(0, 2, 1, 3);
                for (INDArray x : new INDArray[] {split, rowMajor, sliced}) {
                    INDArray padded = Blocks.padRows(x, left, rows);
                    assertArrayEquals(new long[] {2, rows, 3, 4}, padded.shape());
                    INDArray got = Blocks.windows(padded, nb, w, span);
                    assertEquals(Blocks.gather(x, nb, w, left, span), got.dup('c'), "n=" + n + " c=" + w + " left=" + left);
                }
            }
        }
    }

    /** Query rows in blocks: a view of the input when the blocks tile it exactly, else a zero-padded copy. */
    @Test
    void rowsOfTileTheQueries() {
        for (int[] c : CASES) {
            int n = c[0];
            int w = c[1];
            long nb = (n + w - 1) / w;
            INDArray base = Nd4j.rand(DataType.DOUBLE, 3, n, 3, 4);
            INDArray x = base.get(NDArrayIndex.interval(1, 3)).permute(0, 2, 1, 3);   // offset view [2, 3, n, 4]
            INDArray got = Blocks.rowsOf(x, nb, w);
            boolean view = dev.maha.autograd.Memory.sharesBuffer(got, x);
            assertEquals(nb * w == n, view, "n=" + n + " c=" + w);
            assertEquals(Blocks.gather(x, nb, w, 0, w), got.dup('c'), "n=" + n + " c=" + w);
            if (view) {
                got.putScalar(new long[] {1, 2, nb - 1, w - 1, 3}, 42.0);                // a view writes through
                assertEquals(42.0, base.getDouble(2, n - 1, 2, 3), 0);
            }
        }
    }

    /** Per-block products land in position rows: block j, row i is position j·c + i; rows past n are dropped. */
    @Test
    void productRowsPutsEachBlockAtItsPositions() {
        for (int[] c : CASES) {
            int n = c[0];
            int w = c[1];
            int span = c[3];
            int nb = (n + w - 1) / w;
            INDArray a = Nd4j.rand(DataType.DOUBLE, 2, 3, nb, w, span);
            INDArray b = Nd4j.rand(DataType.DOUBLE, 2, 3, nb, span, 5);
            INDArray got = Blocks.productRows(a, b, n, 0.5);
            assertArrayEquals(new long[] {2, 3, n, 5}, got.shape());
            INDArray blocks = Nd4j.matmul(a, b).muli(0.5).reshape(2, 3, (long) nb * w, 5);
            INDArray want = blocks.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, n), NDArrayIndex.all());
            Close.assertClose("n=" + n + " c=" + w, want, got, 1e-13);
            assertEquals(got.stride(1), 5, "heads interleaved per position, as a projection writes them");
        }
    }

    /**
     * The key gradients: Σ_b α·S_bᵀ R_b summed into the key rows each block saw, against an element loop; and
     * the adjoint identity ⟨gather(x), S_bᵀ R_b⟩ = ⟨x, keyGradients⟩ that makes them the gradient of the gather.
     */
    @Test
    void keyGradientsSumEveryBlockIntoTheKeysItSaw() {
        for (int[] c : CASES) {
            int n = c[0];
            int w = c[1];
            int left = c[2];
            int span = c[3];
            int nb = (n + w - 1) / w;
            INDArray scores = Nd4j.rand(DataType.DOUBLE, 2, 3, nb, w, span).subi(0.5);
            INDArray rows = Nd4j.rand(DataType.DOUBLE, 2, nb * w, 3, 5).subi(0.5);                 // a head split, in place
            INDArray rowBlocks = rows.reshape(2, nb, w, 3, 5).permute(0, 3, 1, 2, 4);              // [2, 3, nb, w, 5]
            INDArray got = Blocks.keyGradients(scores, rowBlocks, n, left, 0.7);
            assertArrayEquals(new long[] {2, 3, n, 5}, got.shape());
            INDArray want = Nd4j.zeros(DataType.DOUBLE, 2, 3, n, 5);
            for (int a = 0; a < 2; a++) {
                for (int h = 0; h < 3; h++) {
                    for (int b = 0; b < nb; b++) {
                        for (int s = 0; s < span; s++) {
                            int pos = b * w - left + s;
                            if (pos < 0 || pos >= n) continue;
                            for (int d = 0; d < 5; d++) {
                                double sum = 0;
                                for (int i = 0; i < w; i++) sum += scores.getDouble(a, h, b, i, s) * rowBlocks.getDouble(a, h, b, i, d);
                                want.putScalar(new long[] {a, h, pos, d}, want.getDouble(a, h, pos, d) + 0.7 * sum);
                            }
                        }
                    }
                }
            }
            Close.assertClose("n=" + n + " c=" + w + " left=" + left, want, got, 1e-13);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, n, 5);
            INDArray perBlock = Nd4j.matmul(scores, rowBlocks.dup('c'), null, true, false, false).muli(0.7);   // [2, 3, nb, span, 5]
            double lhs = Blocks.gather(x, nb, w, left, span).mul(perBlock).sumNumber().doubleValue();
            double rhs = x.mul(got).sumNumber().doubleValue();
            assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)), "adjoint n=" + n + " c=" + w);
        }
    }

    @Test
    void fillOutsideBandWritesMinusInfinityOutsideTheBandOnly() {
        int n = 7;
        int[][] bands = {{-1, 0}, {2, 0}, {1, 1}, {0, 3}, {-1, -1}, {6, 6}};
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] band : bands) {
                INDArray s = Nd4j.rand(dt, 2, 3, n, n);
                INDArray before = s.dup();
                Blocks.fillOutsideBand(s, band[0], band[1]);
                for (int g = 0; g < 6; g++) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            boolean inside = (band[0] < 0 || i - j <= band[0]) && (band[1] < 0 || j - i <= band[1]);
                            double want = inside ? before.getDouble(g / 3, g % 3, i, j) : Double.NEGATIVE_INFINITY;
                            assertEquals(want, s.getDouble(g / 3, g % 3, i, j), 0, dt + " band " + band[0] + "," + band[1]);
                        }
                    }
                }
            }
        }
    }
}
