package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
}
