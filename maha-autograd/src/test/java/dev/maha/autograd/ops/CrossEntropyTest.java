package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.nd4j.linalg.indexing.NDArrayIndex;

/** cross_entropy: logits [N, C] (or [..., C]), int targets [N] (or [...]) → mean loss, rank 0. */
class CrossEntropyTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("cross_entropy", in -> Functional.crossEntropy(in[0], in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor z = Tensor.randn(1, DataType.DOUBLE, 4, 5).requiresGrad(true);
        Tensor t = Tensor.indices(new long[] {0, 4, 2, 2}, 4);
        GradCheck.Report r = GradCheck.check(in -> Functional.crossEntropy(in[0], in[1]), z, t);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithIgnoredRowsAndLeadingAxes() {
        Tensor z = Tensor.randn(2, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        Tensor t = Tensor.indices(new long[] {3, -100, 0, 1, -100, 3}, 2, 3);
        GradCheck.Report r = GradCheck.check(in -> Functional.crossEntropy(in[0], in[1], -100), z, t);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedLogits() {
        Tensor z = Tensor.of(Tensor.randn(3, DataType.DOUBLE, 5, 3).value().transpose()).requiresGrad(true);   // [3,5]
        Tensor t = Tensor.of(Nd4j.createFromArray(new int[] {4, 1, 0}));
        GradCheck.Report r = GradCheck.check(in -> Functional.crossEntropy(in[0], in[1]), z, t);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void ignoredRowsAreLeftOutOfTheMeanAndGetNoGradient() {
        INDArray zv = Tensor.randn(4, DataType.DOUBLE, 4, 3).value();
        Tensor z = Tensor.of(zv).requiresGrad(true);
        Tensor loss = Functional.crossEntropy(z, Tensor.indices(new long[] {1, 7, 2, 7}, 4), 7);
        Tensor kept = Functional.crossEntropy(Tensor.of(zv.getRows(0, 2)), Tensor.indices(new long[] {1, 2}, 2));
        assertEquals(kept.item(), loss.item(), 1e-14);
        loss.backward();
        Close.assertAbsClose("ignored rows", Nd4j.zeros(DataType.DOUBLE, 2, 3),
                z.grad().get(NDArrayIndex.indices(1, 3), NDArrayIndex.all()), 0.0);
        assertTrue(z.grad().getRow(0).norm1Number().doubleValue() > 0.1, "kept rows get a gradient");
    }

    @Test
    void allIgnoredBatchGivesZeroLossAndZeroGradient() {
        Tensor z = Tensor.randn(5, DataType.DOUBLE, 2, 3).requiresGrad(true);
        Tensor loss = Functional.crossEntropy(z, Tensor.indices(new long[] {-100, -100}, 2), -100);
        assertEquals(0, loss.rank());
        assertEquals(0.0, loss.item(), 0.0);
        loss.backward();
        Close.assertAbsClose("all ignored", Nd4j.zeros(DataType.DOUBLE, 2, 3), z.grad(), 0.0);
    }

    @Test
    void float32LossIsHandComputedAndStableForLargeLogits() {
        Tensor z = Tensor.of(new float[] {1, 2, 3, 1000, 0, -1000}, 2, 3);
        Tensor loss = Functional.crossEntropy(z, Tensor.indices(new long[] {2, 0}, 2));
        assertEquals(DataType.FLOAT, loss.dtype());
        assertEquals(0, loss.rank());
        double row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;      // row 1 contributes log(1 + e^-1000) ≈ 0
        assertEquals(row0 / 2, loss.item(), 1e-6);
    }

    @Test
    void outOfRangeTargetNamesTheOpAndValue() {
        Tensor z = Tensor.zeros(DataType.FLOAT, 3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(z, Tensor.indices(new long[] {0, 7, 1}, 3)));
        assertTrue(e.getMessage().startsWith("cross_entropy:") && e.getMessage().contains("target 7")
                && e.getMessage().contains("[3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(z, Tensor.indices(new long[] {0, -100, 1}, 3)));
        assertTrue(e.getMessage().startsWith("cross_entropy:") && e.getMessage().contains("target -100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(z, Tensor.indices(new long[] {0, -1, 1}, 3), -100));
        assertTrue(e.getMessage().startsWith("cross_entropy:") && e.getMessage().contains("target -1"), e.getMessage());
    }

    @Test
    void mismatchedShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(DataType.FLOAT, 3, 5), Tensor.indices(new long[] {0, 1}, 2)));
        assertTrue(e.getMessage().startsWith("cross_entropy:") && e.getMessage().contains("[3, 5]")
                && e.getMessage().contains("[2]"), e.getMessage());
    }
}
