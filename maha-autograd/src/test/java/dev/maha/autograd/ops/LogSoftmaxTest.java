package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** logSoftmax(axis): x − logsumexp(x), stable; gradient g − softmax · Σ g. */
class LogSoftmaxTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("log_softmax", in -> in[0].logSoftmax(-1));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnEveryAxis() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (int axis : new int[] {0, 1, 2, -2}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].logSoftmax(axis), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(2, 0, 1)).requiresGrad(true);   // [2,3,4]
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].logSoftmax(a), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void equalsLogOfSoftmaxOnANonLastAxis() {
        Tensor x = Tensor.of(Tensor.randn(3, DataType.DOUBLE, 4, 3, 2).value().permute(1, 0, 2));
        Close.assertClose("log softmax axis 1", Transforms.log(x.softmax(1).value(), true), x.logSoftmax(1).value(), 1e-13);
    }

    @Test
    void largeAndMaskedInputsStayFinite() {
        double inf = Double.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new double[] {1000, 1001, inf, -1000, -1000, -1000}, 2, 3).requiresGrad(true);
        Tensor y = x.logSoftmax(1);
        double l1 = Math.log(1 + Math.exp(1));
        assertEquals(-l1, y.value().getDouble(0, 0), 1e-12);
        assertEquals(1 - l1, y.value().getDouble(0, 1), 1e-12);
        assertEquals(inf, y.value().getDouble(0, 2), 0);
        assertEquals(-Math.log(3), y.value().getDouble(1, 1), 1e-12);
        y.backward(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {1, 1, 1}}));
        INDArray g = x.grad();
        for (double v : g.dup().data().asDouble()) assertTrue(Double.isFinite(v), "gradient " + g);
        // masked entry: g − softmax·Σg = 3 − 0·6
        assertEquals(3.0, g.getDouble(0, 2), 1e-12);
        Close.assertAbsClose("uniform row", Nd4j.zeros(DataType.DOUBLE, 3), g.getRow(1), 1e-12);
    }

    @Test
    void float32MatchesHandValues() {
        Tensor x = Tensor.of(new float[] {0, 0, (float) Math.log(2)}, 1, 3);
        Close.assertClose("float32", Nd4j.createFromArray(new float[][] {{
            (float) -Math.log(4), (float) -Math.log(4), (float) Math.log(0.5)}}), x.logSoftmax(1).value(), 1e-6);
    }

    @Test
    void badAxisNamesOpAndRank() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.logSoftmax(-3));
        assertEquals("log_softmax: axis -3 is out of range for rank 2", e.getMessage());
    }
}
