package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.FlopCounter;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** softmax(axis): stable, masked (-inf) entries get 0, gradient y ⊙ (g − Σ g ⊙ y). */
class SoftmaxTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("softmax", in -> in[0].softmax(-1));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnEveryAxis() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        for (int axis : new int[] {0, 1, 2, -1}) {
            GradCheck.Report r = GradCheck.check(in -> in[0].softmax(axis), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 3, 4, 2).value().permute(2, 0, 1)).requiresGrad(true);   // [2,3,4]
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            GradCheck.Report r = GradCheck.check(in -> in[0].softmax(a), x);
            assertTrue(r.passed(), "axis " + axis + ": " + r);
        }
    }

    @Test
    void maskedEntriesGetZeroProbabilityAndFiniteGradients() {
        double inf = Double.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new double[] {0.5, inf, 1.5, inf, inf, -2.0, 0.3, 0.1, 0.2}, 3, 3).requiresGrad(true);
        Tensor y = x.softmax(1);
        double e = Math.exp(-1);
        double z = Math.exp(0.3) + Math.exp(0.1) + Math.exp(0.2);
        INDArray expected = Nd4j.createFromArray(new double[][] {
            {e / (1 + e), 0, 1 / (1 + e)}, {0, 0, 1}, {Math.exp(0.3) / z, Math.exp(0.1) / z, Math.exp(0.2) / z}});
        Close.assertClose("masked softmax", expected, y.value(), 1e-15);
        y.backward(Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        INDArray g = x.grad();
        for (double v : g.dup().data().asDouble()) assertTrue(Double.isFinite(v), "gradient " + g);
        assertEquals(0.0, g.getDouble(0, 1), 0);
        assertEquals(0.0, g.getDouble(1, 0), 0);
        assertEquals(0.0, g.getDouble(1, 2), 1e-15);   // a one-hot row has zero gradient
        GradCheck.Report r = GradCheck.check(in -> in[0].softmax(-1),
                Tensor.of(new double[] {0.5, inf, 1.5, -0.7, inf, 0.2}, 2, 3).requiresGrad(true));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void largeInputsDoNotOverflow() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor x = Tensor.of(Nd4j.createFromArray(new double[] {1000, 1001, 1002, -1000, -1001, -1002}).reshape(2, 3).castTo(dt));
            INDArray y = x.softmax(1).value();
            double z = 1 + Math.exp(1) + Math.exp(2);
            INDArray expected = Nd4j.createFromArray(new double[][] {
                {1 / z, Math.exp(1) / z, Math.exp(2) / z}, {Math.exp(2) / z, Math.exp(1) / z, 1 / z}}).castTo(dt);
            Close.assertClose(dt + " large", expected, y, dt == DataType.FLOAT ? 1e-6 : 1e-15);
            assertEquals(dt, y.dataType());
        }
    }

    @Test
    void float32RowsSumToOne() {
        Tensor x = Tensor.randn(3, DataType.FLOAT, 4, 5);
        Close.assertClose("row sums", Nd4j.ones(DataType.FLOAT, 4), x.softmax(1).sum(false, 1).value(), 1e-6);
        Close.assertClose("col sums", Nd4j.ones(DataType.FLOAT, 5), x.softmax(0).sum(false, 0).value(), 1e-6);
    }

    @Test
    void reportsFiveFlopsPerElementForwardAndFourBackward() {
        Tensor x = Tensor.randn(4, DataType.DOUBLE, 3, 4).requiresGrad(true);
        try (FlopCounter flops = FlopCounter.open()) {
            Tensor y = x.softmax(0);
            y.backward(Nd4j.ones(DataType.DOUBLE, 3, 4));
            assertEquals(60, flops.forward());
            assertEquals(48, flops.backward());
        }
    }

    @Test
    void badInputNamesOpAndShape() {
        Tensor x = Tensor.zeros(DataType.DOUBLE, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.softmax(2));
        assertEquals("softmax: axis 2 is out of range for rank 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.indices(new long[] {1, 2}, 2).softmax(0));
        assertTrue(e.getMessage().startsWith("softmax:") && e.getMessage().contains("[2]"), e.getMessage());
    }
}
