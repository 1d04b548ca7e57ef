package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** dropout: inverted dropout with a seeded mask; the identity in evaluation mode or with p = 0. */
class DropoutTest {
    @Test
    void evaluationModeAndZeroRateAreTheIdentity() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 3, 4).requiresGrad(true);
        INDArray cot = Tensor.randn(2, DataType.DOUBLE, 3, 4).value();
        Tensor eval = Functional.dropout(x, 0.5, 7, false);
        Close.assertAbsClose("eval forward", x.value(), eval.value(), 0.0);
        eval.backward(cot);
        Close.assertAbsClose("eval backward", cot, x.grad(), 0.0);
        Close.assertAbsClose("p = 0 forward", x.value(), Functional.dropout(x, 0.0, 7, true).value(), 0.0);
    }

    @Test
    void float32KeptElementsAreScaledAndTheRateIsAboutP() {
        Tensor x = Tensor.ones(DataType.FLOAT, 100, 100);
        double p = 0.3;
        double[] out = Functional.dropout(x, p, 42, true).toDoubleArray();
        int dropped = 0;
        for (double v : out) {
            if (v == 0) dropped++;
            else assertEquals(1 / (1 - p), v, 1e-6);
        }
        assertEquals(p, dropped / 10000.0, 0.03);
    }

    @Test
    void sameSeedGivesTheSameMaskAndAnotherSeedAnother() {
        Tensor x = Tensor.randn(3, DataType.FLOAT, 8, 16);
        INDArray a = Functional.dropout(x, 0.5, 11, true).value();
        INDArray b = Functional.dropout(x, 0.5, 11, true).value();
        INDArray c = Functional.dropout(x, 0.5, 12, true).value();
        Close.assertAbsClose("same seed", a, b, 0.0);
        assertFalse(a.equals(c), "seeds 11 and 12 gave the same mask");
    }

    @Test
    void gradientMatchesFiniteDifferencesInTraining() {
        Tensor x = Tensor.randn(4, DataType.DOUBLE, 4, 5).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.dropout(in[0], 0.4, 99, true), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(5, DataType.DOUBLE, 5, 2, 3).value().permute(2, 0, 1)).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.dropout(in[0], 0.25, 3, true), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void rateOutsideZeroToOneIsRejected() {
        Tensor x = Tensor.zeros(DataType.FLOAT, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.dropout(x, 1.0, 1, true));
        assertTrue(e.getMessage().startsWith("dropout:") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.dropout(x, -0.1, 1, false));
        assertTrue(e.getMessage().startsWith("dropout:") && e.getMessage().contains("-0.1"), e.getMessage());
    }
}
