package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Seeded initialisers and parameter creation. */
class InitTest {
    @Test
    void uniformStaysInItsBoundsAndIsReproducible() {
        INDArray a = Init.uniform(new SplittableRandom(3), 0.25, DataType.DOUBLE, 40, 50);
        INDArray b = Init.uniform(new SplittableRandom(3), 0.25, DataType.DOUBLE, 40, 50);
        assertArrayEquals(new long[] {40, 50}, a.shape());
        assertTrue(a.minNumber().doubleValue() >= -0.25 && a.maxNumber().doubleValue() < 0.25);
        Close.assertAbsClose("same seed", a, b, 0);
    }

    @Test
    void float32IsTheFloat64DrawRounded() {
        INDArray d = Init.normal(new SplittableRandom(5), 2.0, DataType.DOUBLE, 7, 3);
        INDArray f = Init.normal(new SplittableRandom(5), 2.0, DataType.FLOAT, 7, 3);
        assertEquals(DataType.FLOAT, f.dataType());
        Close.assertAbsClose("rounded", d.castTo(DataType.FLOAT), f, 0);
        INDArray h = Init.uniform(new SplittableRandom(5), 1, DataType.HALF, 4);
        assertEquals(DataType.HALF, h.dataType());
    }

    @Test
    void normalHasTheRequestedSpread() {
        LinearTest.Stats s = LinearTest.Stats.of(Init.normal(new SplittableRandom(1), 0.02, DataType.DOUBLE, 100, 100)
                .data().asDouble());
        assertEquals(0, s.mean(), 4 * 0.02 / 100, s.toString());
        assertEquals(0.02 * 0.02, s.variance(), 0.05 * 0.02 * 0.02, s.toString());
    }

    @Test
    void parametersAreUnmanagedLeavesThatRequireGradients() {
        Tensor p;
        try (Scope scope = Scope.open()) {
            p = Init.parameter(Init.constant(1.5, DataType.FLOAT, 3));
            assertEquals(0, scope.size());
        }
        assertFalse(p.isClosed());
        assertTrue(p.isLeaf() && p.requiresGrad());
        assertEquals(1.5, p.value().getDouble(2));
    }

    @Test
    void invalidArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.uniform(new SplittableRandom(1), 0, DataType.FLOAT, 2));
        assertTrue(e.getMessage().startsWith("Init.uniform:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.normal(new SplittableRandom(1), 1, DataType.LONG, 2));
        assertTrue(e.getMessage().startsWith("Init.normal:") && e.getMessage().contains("LONG"), e.getMessage());
    }
}
