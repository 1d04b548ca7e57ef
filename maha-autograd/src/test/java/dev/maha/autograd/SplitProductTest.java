package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Products cut across the cores: every way of cutting (batch axis, rows, columns), with transposed
 * and strided operands, odd sizes that do not divide evenly, and accumulation, against plain loops.
 * The sizes are above {@link SplitProduct#SPLIT_WORK}, so the products are really cut.
 */
class SplitProductTest {
    /** op(a) · op(b) of two 2-D arrays, by plain loops in double. */
    private static double[][] naive(INDArray a, INDArray b, boolean transA, boolean transB) {
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long n = transB ? b.size(0) : b.size(1);
        double[][] c = new double[(int) m][(int) n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (transA ? a.getDouble(t, i) : a.getDouble(i, t)) * (transB ? b.getDouble(j, t) : b.getDouble(t, j));
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static void assertMatrix(String what, double[][] want, INDArray got, double tol) {
        assertEquals(want.length, got.size(0), what + ": rows");
        assertEquals(want[0].length, got.size(1), what + ": columns");
        Close.assertClose(what, Nd4j.createFromArray(want), got, tol);
    }

    @Test
    void singleMatricesAreCutByRowsOrColumnsInEveryTransposition() {
        assertTrue(Parallel.threads() >= 1);
        for (int[] mkn : new int[][] {{131, 70, 61}, {37, 90, 149}}) {     // more rows than columns, then the reverse
            int m = mkn[0], k = mkn[1], n = mkn[2];
            assertTrue((long) m * k * n >= SplitProduct.SPLIT_WORK);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    INDArray a = ta ? Nd4j.rand(DataType.DOUBLE, k, m) : Nd4j.rand(DataType.DOUBLE, m, k);
                    INDArray b = tb ? Nd4j.rand(DataType.DOUBLE, n, k) : Nd4j.rand(DataType.DOUBLE, k, n);
                    INDArray c = Gemm.matmul(a, b, ta, tb);
                    assertMatrix(m + "x" + k + "x" + n + " transA=" + ta + " transB=" + tb, naive(a, b, ta, tb), c, 1e-12);
                }
            }
        }
    }

    @Test
    void batchesAreCutAlongTheirLargestLeadingAxisOrInsideTheMatrices() {
        // [2, 5, m, k]: cut along the axis of 5 (uneven parts); [1, 1, m, k]: cut inside the matrix.
        for (long[] lead : new long[][] {{2, 5}, {1, 1}, {3, 1}}) {
            INDArray a = Nd4j.rand(DataType.DOUBLE, lead[0], lead[1], 67, 50);
            INDArray b = Nd4j.rand(DataType.DOUBLE, lead[0], lead[1], 83, 50);
            INDArray c = Gemm.matmul(a, b, false, true);                          // [.., 67, 83]
            for (int i = 0; i < lead[0]; i++) {
                for (int j = 0; j < lead[1]; j++) {
                    assertMatrix("batch " + i + "," + j + " of " + lead[0] + "x" + lead[1],
                            naive(a.slice(i).slice(j), b.slice(i).slice(j), false, true), c.slice(i).slice(j), 1e-12);
                }
            }
        }
    }

    @Test
    void stridedOperandsAndAccumulationIntoAStridedResult() {
        INDArray rows = Nd4j.rand(DataType.DOUBLE, 140, 40);
        INDArray windows = Nd4j.create(rows.data(), new long[] {7, 80, 40}, new long[] {10 * 40, 40, 1}, 0, 'c');   // overlapping
        INDArray g = Nd4j.rand(DataType.DOUBLE, 7, 80, 30);
        INDArray target = Nd4j.rand(DataType.DOUBLE, 7, 50, 36);
        INDArray before = target.dup();
        INDArray into = target.get(NDArrayIndex.all(), NDArrayIndex.interval(5, 45), NDArrayIndex.interval(3, 33));   // [7, 40, 30]
        Gemm.stridedBatchedInto(windows, g, into, true, false, 0.5, 1.0);                                          // += 0.5 Wᵀ g
        for (int i = 0; i < 7; i++) {
            INDArray w = rows.get(NDArrayIndex.interval(10 * i, 10 * i + 80), NDArrayIndex.all()).dup();
            double[][] want = naive(w, g.slice(i), true, false);
            INDArray old = before.slice(i).get(NDArrayIndex.interval(5, 45), NDArrayIndex.interval(3, 33));
            for (double[] row : want) for (int j = 0; j < row.length; j++) row[j] *= 0.5;
            assertMatrix("accumulated " + i, want, target.slice(i).get(NDArrayIndex.interval(5, 45), NDArrayIndex.interval(3, 33)).sub(old), 1e-12);
            Close.assertClose("untouched rows " + i, before.slice(i).get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()),
                    target.slice(i).get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()), 0);
            Close.assertClose("untouched columns " + i, before.slice(i).get(NDArrayIndex.all(), NDArrayIndex.interval(33, 36)),
                    target.slice(i).get(NDArrayIndex.all(), NDArrayIndex.interval(33, 36)), 0);
        }
    }

    @Test
    void anEmptyContractionGivesZerosOrScalesTheResult() {
        INDArray a = Nd4j.create(DataType.DOUBLE, 3, 0);
        INDArray b = Nd4j.create(DataType.DOUBLE, 0, 4);
        INDArray c = Gemm.matmul(a, b, false, false);
        Close.assertClose("empty sum", Nd4j.zeros(DataType.DOUBLE, 3, 4), c, 0);
    }
}
