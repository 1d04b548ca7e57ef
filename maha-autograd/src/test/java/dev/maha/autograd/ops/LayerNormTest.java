package dev.maha.autograd.ops;

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

/** layer_norm over the last axis: x [..., d], weight [d], bias [d] → [..., d], biased variance. */
class LayerNormTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("layer_norm", in -> Functional.layerNorm(in[0], in[1], in[2], 1e-5));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithWeightAndBias() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 5).requiresGrad(true);
        Tensor w = Tensor.randn(2, DataType.DOUBLE, 5).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.DOUBLE, 5).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.layerNorm(in[0], in[1], in[2], 1e-5), x, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInputWithWeightOnly() {
        Tensor x = Tensor.of(Tensor.randn(4, DataType.DOUBLE, 4, 2, 3).value().permute(1, 2, 0)).requiresGrad(true); // [2,3,4]
        Tensor w = Tensor.randn(5, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.layerNorm(in[0], in[1], null, 1e-5), x, w);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBiasOnlyAndWithoutParameters() {
        Tensor x = Tensor.randn(6, DataType.DOUBLE, 3, 6).requiresGrad(true);
        Tensor b = Tensor.randn(7, DataType.DOUBLE, 6).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.layerNorm(in[0], null, in[1], 1e-3), x, b);
        assertTrue(r.passed(), r.toString());
        Tensor v = Tensor.randn(8, DataType.DOUBLE, 7).requiresGrad(true);
        r = GradCheck.check(in -> Functional.layerNorm(in[0], null, null, 0.0), v);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void float32RowsAreNormalized() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, -2, 0, 2, 4}, 2, 4);
        Tensor w = Tensor.of(new float[] {1, 2, 1, 1}, 4);
        Tensor b = Tensor.of(new float[] {0, 0, 0, 10}, 4);
        INDArray out = Functional.layerNorm(x, w, b, 1e-5).value();
        double s1 = 1 / Math.sqrt(1.25 + 1e-5);     // row 1: mean 2.5, biased variance 1.25
        double s2 = 1 / Math.sqrt(5.0 + 1e-5);      // row 2: mean 1, biased variance 5
        INDArray expected = Nd4j.createFromArray(new double[][] {
            {-1.5 * s1, 2 * -0.5 * s1, 0.5 * s1, 1.5 * s1 + 10},
            {-3 * s2, 2 * -1 * s2, 1 * s2, 3 * s2 + 10}}).castTo(DataType.FLOAT);
        Close.assertClose("layer_norm float32", expected, out, 1e-6);
    }

    @Test
    void wrongWeightShapeNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(
                Tensor.zeros(DataType.FLOAT, 2, 3, 5), Tensor.ones(DataType.FLOAT, 4), null, 1e-5));
        assertTrue(e.getMessage().startsWith("layer_norm:") && e.getMessage().contains("[2, 3, 5]")
                && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(
                Tensor.zeros(DataType.FLOAT, 2, 5), null, null, -1));
        assertTrue(e.getMessage().startsWith("layer_norm:") && e.getMessage().contains("-1"), e.getMessage());
    }
}
