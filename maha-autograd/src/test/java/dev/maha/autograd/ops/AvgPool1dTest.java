package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** avg_pool1d: x [B, C, L] → [B, C, L_out], zero padding counted in the divisor (PyTorch default). */
class AvgPool1dTest {
    @Test
    void float32PaddedZerosCountInTheDivisor() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 1, 5);
        INDArray out = Functional.avgPool1d(x, 3, 2, 1).value();          // [0,1,2] [2,3,4] [4,5,0]
        Close.assertClose("avg_pool1d float32", Nd4j.createFromArray(1f, 3f, 3f).reshape(1, 1, 3), out, 1e-7);
    }

    @Test
    void gradientSpreadsEvenlyOverOverlappingWindows() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 5).requiresGrad(true);
        Functional.avgPool1d(x, 3, 2, 1).sum().backward();
        Close.assertClose("d sum / dx", Nd4j.createFromArray(1.0, 2.0, 1.0, 2.0, 1.0).reshape(1, 1, 5).divi(3), x.grad(), 1e-15);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 7).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.avgPool1d(in[0], 3, 2, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 9, 2, 2).value().permute(1, 2, 0)).requiresGrad(true); // [2,2,9]
        GradCheck.Report r = GradCheck.check(in -> Functional.avgPool1d(in[0], 2, 2, 0), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void badSettingsNameTheOpAndValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.avgPool1d(Tensor.zeros(DataType.FLOAT, 1, 2, 8), 3, 1, 2));
        assertTrue(e.getMessage().startsWith("avg_pool1d:") && e.getMessage().contains("padding 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.avgPool1d(Tensor.zeros(DataType.FLOAT, 1, 2, 2), 3, 1, 0));
        assertTrue(e.getMessage().startsWith("avg_pool1d:") && e.getMessage().contains("[1, 2, 2]"), e.getMessage());
    }
}
