package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code cond ? a : b} with all three broadcast together; the condition gets no gradient. */
class WhereTest {
    @Test
    void selectsAndRoutesGradientsWithBroadcasting() {
        // cond [2,1], a [3], b scalar → [2,3]
        Tensor cond = Tensor.of(Nd4j.createFromArray(true, false).reshape(2, 1));
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.scalar(-1, DataType.DOUBLE).requiresGrad(true);
        Tensor y = Tensor.where(cond, a, b);
        Close.assertAbsClose("values", Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1, -1, -1}}), y.value(), 0);
        y.backward(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        Close.assertAbsClose("da", Nd4j.createFromArray(1.0, 2.0, 3.0), a.grad(), 0);
        Close.assertAbsClose("db", Nd4j.scalar(15.0), b.grad(), 0);
        assertNull(cond.grad());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithAllThreeBroadcast() {
        Tensor cond = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 1).gt(0.4));
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 1, 4).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 2, 1, 1).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Tensor.where(in[0], in[1], in[2]), cond, a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnNonContiguousOperands() {
        INDArray base = Nd4j.randn(DataType.DOUBLE, 3, 4, 2);
        Tensor cond = Tensor.of(base.gt(0).permute(2, 0, 1));
        Tensor a = Tensor.of(base.permute(2, 0, 1)).requiresGrad(true);
        Tensor b = Tensor.of(Nd4j.randn(DataType.DOUBLE, 3, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Tensor.where(in[0], in[1], in[2]), cond, a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void numericConditionTreatsNonzeroAsTrue() {
        Tensor cond = Tensor.indices(new long[] {0, 3, -2, 0}, 4);
        Tensor y = Tensor.where(cond, Tensor.full(1, DataType.DOUBLE, 4), Tensor.full(2, DataType.DOUBLE, 4));
        Close.assertAbsClose("values", Nd4j.createFromArray(2.0, 1.0, 1.0, 2.0), y.value(), 0);
    }

    @Test
    void infinityInTheUnselectedBranchDoesNotLeak() {
        Tensor cond = Tensor.of(Nd4j.createFromArray(true, false));
        Tensor a = Tensor.of(new double[] {1, Double.POSITIVE_INFINITY}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {Double.NaN, 2}, 2).requiresGrad(true);
        Tensor y = Tensor.where(cond, a, b);
        Close.assertAbsClose("values", Nd4j.createFromArray(1.0, 2.0), y.value(), 0);
        y.sum().backward();
        Close.assertAbsClose("da", Nd4j.createFromArray(1.0, 0.0), a.grad(), 0);
        Close.assertAbsClose("db", Nd4j.createFromArray(0.0, 1.0), b.grad(), 0);
    }

    @Test
    void float32KeepsItsDataType() {
        Tensor y = Tensor.where(Tensor.of(Nd4j.createFromArray(false, true)), Tensor.of(new float[] {1f, 2f}, 2),
                Tensor.of(new float[] {3f, 4f}, 2));
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertAbsClose("values", Nd4j.createFromArray(3f, 2f), y.value(), 0);
    }

    @Test
    void shapesThatCannotBroadcastNameTheOpAndAllThreeShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.where(
                Tensor.of(Nd4j.create(DataType.BOOL, 3, 1)), Tensor.zeros(DataType.DOUBLE, 4), Tensor.zeros(DataType.DOUBLE, 2, 1)));
        assertTrue(e.getMessage().startsWith("where:") && e.getMessage().contains("[3, 1]") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[2, 1]"), e.getMessage());
    }

    @Test
    void operandsOfDifferentDataTypesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.where(
                Tensor.of(Nd4j.create(DataType.BOOL, 2)), Tensor.zeros(DataType.DOUBLE, 2), Tensor.indices(new long[] {1, 2}, 2)));
        assertTrue(e.getMessage().startsWith("where:") && e.getMessage().contains("DOUBLE") && e.getMessage().contains("LONG"),
                e.getMessage());
    }
}
