package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** embedding: table [V, d], indices [...] (int) → [..., d]; the gradient scatter-adds rows. */
class EmbeddingTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("embedding", in -> Functional.embedding(in[0], in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithRepeatedIndices() {
        Tensor table = Tensor.randn(1, DataType.DOUBLE, 5, 3).requiresGrad(true);
        Tensor idx = Tensor.indices(new long[] {4, 0, 4, 2, 2, 4}, 2, 3);
        GradCheck.Report r = GradCheck.check(in -> Functional.embedding(in[0], in[1]), table, idx);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnTransposedTable() {
        Tensor table = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 6).value().transpose()).requiresGrad(true);   // [6,3]
        Tensor idx = Tensor.indices(new long[] {5, 1, 1, 0}, 4);
        GradCheck.Report r = GradCheck.check(in -> Functional.embedding(in[0], in[1]), table, idx);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void manyRepeatedIndicesAccumulateExactly() {
        // ND4J's scatter_add without locking loses updates on repeated indices in some runs (probed:
        // about half of them at this size); the op must be exact every time.
        int n = 20000;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i % 2;
        INDArray expected = Nd4j.valueArrayOf(new long[] {3, 8}, n / 2.0, DataType.DOUBLE);
        expected.getRow(2).assign(0);
        for (int round = 0; round < 8; round++) {
            Tensor table = Tensor.zeros(DataType.DOUBLE, 3, 8).requiresGrad(true);
            Functional.embedding(table, Tensor.indices(ids, n)).sum().backward();
            Close.assertAbsClose("row counts, round " + round, expected, table.grad(), 0.0);
        }
    }

    @Test
    void float32Int32IndicesGatherRows() {
        Tensor table = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Tensor idx = Tensor.of(Nd4j.createFromArray(new int[][] {{2, 0}, {1, 2}}));
        INDArray out = Functional.embedding(table, idx).value();
        assertArrayEquals(new long[] {2, 2, 2}, out.shape());
        INDArray expected = Nd4j.createFromArray(new float[][][] {{{20, 21}, {0, 1}}, {{10, 11}, {20, 21}}});
        Close.assertAbsClose("embedding float32", expected, out, 0.0);
    }

    @Test
    void outOfRangeIndexNamesTheIndexAndV() {
        Tensor table = Tensor.zeros(DataType.FLOAT, 10, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.embedding(table, Tensor.indices(new long[] {3, 12, 1}, 3)));
        assertTrue(e.getMessage().startsWith("embedding:") && e.getMessage().contains("index 12")
                && e.getMessage().contains("V = 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.embedding(table, Tensor.indices(new long[] {-1, 2}, 2)));
        assertTrue(e.getMessage().startsWith("embedding:") && e.getMessage().contains("index -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.embedding(table, Tensor.zeros(DataType.FLOAT, 2)));
        assertTrue(e.getMessage().startsWith("embedding:") && e.getMessage().contains("FLOAT"), e.getMessage());
    }
}
