package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Gemm: products over the last two axes, without copying operands that are already row-major. */
class GemmTest {
    @Test
    void aProductFedBackIsNotCopied() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 6);
        INDArray c = Gemm.matmul(a, b, false, false);            // a reshape of the batched product
        assertTrue(c.isView(), "ND4J flags the reshaped product as a view");
        assertSame(c, Memory.rowMajor(c));
        INDArray d = Gemm.matmul(c, b, false, true);            // [2,3,4,6] · ([2,3,5,6] transposed) → [2,3,4,5]
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                INDArray expected = c.slice(i).slice(j).mmul(b.slice(i).slice(j).transpose());
                Close.assertClose("product of a product " + i + "," + j, expected, d.slice(i).slice(j), 1e-12);
            }
        }
    }

    @Test
    void stridedOrOffsetViewsAreCopied() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6);
        assertNotSame(x.transpose(), Memory.rowMajor(x.transpose()));
        INDArray rows = x.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertNotSame(rows, Memory.rowMajor(rows));
        INDArray cols = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        assertNotSame(cols, Memory.rowMajor(cols));
        INDArray z = Nd4j.rand(DataType.DOUBLE, 3, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 7));   // [3, 6]
        Close.assertClose("product of views", rows.mmul(z.transpose()), Gemm.matmul(rows, z, false, true), 1e-12);
    }

    /**
     * The in-place batched product on strided operands: overlapping windows of one buffer (each [3, 4]
     * matrix starts one row after the previous), a transposed operand, α, and accumulation (β = 1) into
     * a strided view of a larger buffer, against per-matrix products of dense copies.
     */
    @Test
    void stridedBatchedReadsOverlappingViewsAndAccumulatesInPlace() {
        INDArray rows = Nd4j.rand(DataType.DOUBLE, 7, 4);
        INDArray windows = Nd4j.create(rows.data(), new long[] {5, 3, 4}, new long[] {4, 4, 1}, 0, 'c');   // window i = rows i..i+2
        INDArray a = Nd4j.rand(DataType.DOUBLE, 5, 2, 4);
        INDArray product = Gemm.stridedBatched(a, windows, false, true, 0.5);                             // [5, 2, 3]
        INDArray target = Nd4j.rand(DataType.DOUBLE, 5, 6, 3);
        INDArray before = target.dup();
        INDArray into = target.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 5), NDArrayIndex.all());      // [5, 4, 3], strided
        INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 3, 3);
        Gemm.stridedBatchedInto(windows, b.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()), into, true, false, 2.0, 1.0);
        for (int i = 0; i < 5; i++) {
            INDArray w = rows.get(NDArrayIndex.interval(i, i + 3), NDArrayIndex.all()).dup();
            Close.assertClose("window " + i, a.slice(i).mmul(w.transpose()).muli(0.5), product.slice(i), 1e-12);
            INDArray want = before.slice(i).get(NDArrayIndex.interval(1, 5), NDArrayIndex.all()).add(w.transpose().mmul(b.slice(i)).muli(2.0));
            Close.assertClose("accumulated " + i, want, target.slice(i).get(NDArrayIndex.interval(1, 5), NDArrayIndex.all()), 1e-12);
            Close.assertClose("rows outside the view " + i, before.slice(i).getRow(0), target.slice(i).getRow(0), 0);
            Close.assertClose("rows outside the view " + i, before.slice(i).getRow(5), target.slice(i).getRow(5), 0);
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.stridedBatched(a, windows, false, false, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Gemm.stridedBatchedInto(a, windows, product.dup(), false, false, 1.0, 0.0));
    }
}
