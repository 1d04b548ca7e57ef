package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** max(axis, keepDims): the gradient goes only to the (first) arg-max. */
class MaxTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("max", in -> in[0].max(1, false));
    }

    @Test
    void gradientLandsOnTheFixtureIndices() {
        INDArray x = Fixtures.ops().get("max.in0").dup();
        long[][] idx = Fixtures.ops().get("max.indices").toLongMatrix();   // [3, 5]
        Tensor t = Tensor.of(x).requiresGrad(true);
        t.max(1, false).backward(Nd4j.ones(DataType.DOUBLE, 3, 5));
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3, 4, 5);
        for (int i = 0; i < 3; i++) for (int k = 0; k < 5; k++) expected.putScalar(new long[] {i, idx[i][k], k}, 1.0);
        Close.assertClose("one-hot of max.indices", expected, t.grad(), 0);
    }

    @Test
    void tiesRouteTheGradientToTheFirstIndexOnly() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 2, 0}, 2, 3).requiresGrad(true);
        Tensor y = x.max(1, true);
        Close.assertClose("values", Nd4j.createFromArray(new double[][] {{3}, {2}}), y.value(), 0);
        y.backward(Nd4j.createFromArray(new double[][] {{5}, {7}}));
        Close.assertClose("grad", Nd4j.createFromArray(new double[][] {{0, 5, 0}, {7, 0, 0}}), x.grad(), 0);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (int axis : new int[] {0, 1, -1}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].max(axis, false), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
            r = GradCheck.check(in -> in[0].max(axis, true), x);
            assertTrue(r.passed(), "axis " + axis + " keepDims: " + r);
        }
        GradCheck.Report r = GradCheck.check(in -> in[0].reshape(-1).max(0, false), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(1, 2, 0)).requiresGrad(true);   // [4,2,3]
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].max(a, false), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void float32ForwardMatchesHandMax() {
        Tensor x = Tensor.of(new float[] {1, -2, 7, 4, 5, -6}, 2, 3);
        Close.assertClose("rows", Nd4j.createFromArray(7f, 5f), x.max(1, false).value(), 0);
        Close.assertClose("cols", Nd4j.createFromArray(new float[][] {{4, 5, 7}}), x.max(0, true).value(), 0);
        assertArrayEquals(new long[0], Tensor.of(new float[] {3, 9}, 2).max(0, false).shape());
    }

    @Test
    void badAxisNamesOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.max(2, false));
        assertEquals("max: axis 2 is out of range for rank 2", e.getMessage());
    }
}
