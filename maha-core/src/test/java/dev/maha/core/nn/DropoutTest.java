package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Dropout: identity in evaluation, fresh reproducible masks in training. */
class DropoutTest {
    @Test
    void evaluationModeAndZeroProbabilityAreTheIdentity() {
        Tensor x = Tensor.randn(1, DataType.FLOAT, 4, 8);
        Dropout d = new Dropout(0.5, 1);
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, 1).forward(x));
    }

    @Test
    void trainingDropsAboutPAndScalesTheRestByOneOverOneMinusP() {
        double p = 0.3;
        Tensor x = Tensor.ones(DataType.DOUBLE, 100, 100);
        INDArray y = new Dropout(p, 5).forward(x).value();
        long zeros = y.eq(0).castTo(DataType.INT).sumNumber().longValue();
        long kept = y.eq(1 / (1 - p)).castTo(DataType.INT).sumNumber().longValue();
        assertEquals(10000, zeros + kept);
        assertEquals(p, zeros / 10000.0, 4 * Math.sqrt(p * (1 - p) / 10000));
    }

    @Test
    void everyCallDrawsAFreshMaskAndARunIsReproducible() {
        Tensor x = Tensor.ones(DataType.FLOAT, 32, 32);
        Dropout a = new Dropout(0.5, 42);
        Dropout b = new Dropout(0.5, 42);
        INDArray a1 = a.forward(x).value();
        INDArray a2 = a.forward(x).value();
        assertNotEquals(a1, a2);
        assertEquals(a1, b.forward(x).value());
        assertEquals(a2, b.forward(x).value());
        assertNotEquals(a1, new Dropout(0.5, 43).forward(x).value());
    }

    @Test
    void resumingTheMaskStreamDrawsTheMasksOfTheUninterruptedRun() {
        Tensor x = Tensor.ones(DataType.FLOAT, 16, 16);
        Dropout uninterrupted = new Dropout(0.5, 9);
        for (int i = 0; i < 3; i++) uninterrupted.forward(x);
        uninterrupted.eval();
        uninterrupted.forward(x);                                  // evaluation draws nothing
        uninterrupted.train();
        assertEquals(3, uninterrupted.masksDrawn());
        Dropout resumed = new Dropout(0.5, 9);
        resumed.resumeMasks(3);
        assertEquals(3, resumed.masksDrawn());
        assertEquals(uninterrupted.forward(x).value(), resumed.forward(x).value());
        assertEquals(4, resumed.masksDrawn());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resumed.resumeMasks(-1));
        assertTrue(e.getMessage().contains("masksDrawn") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void gradientIsTheMask() {
        Tensor x = Tensor.ones(DataType.DOUBLE, 8, 8).requiresGrad(true);
        Tensor y = new Dropout(0.25, 3).forward(x);
        y.sum().backward();
        assertEquals(y.value(), x.grad());
    }

    @Test
    void probabilityOutsideZeroOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, 1));
        assertTrue(e.getMessage().startsWith("Dropout:") && e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 1));
    }
}
