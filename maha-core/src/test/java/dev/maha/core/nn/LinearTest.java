package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The affine layer: PyTorch initialisation, shapes, seeding, dtypes. */
class LinearTest {
    @Test
    void initialisationIsUniformInPlusMinusOneOverSqrtIn() {
        int in = 64;
        Linear layer = new Linear(in, 256, true, 7, DataType.DOUBLE);
        double bound = 1 / Math.sqrt(in);
        double[] w = layer.weight().toDoubleArray();
        Stats s = Stats.of(w);
        assertTrue(s.min >= -bound && s.max <= bound, s.toString());
        assertTrue(s.min < -0.99 * bound && s.max > 0.99 * bound, "fills the range: " + s);
        assertEquals(0, s.mean, 4 * bound / Math.sqrt(3 * w.length), s.toString());     // 4 standard errors
        assertEquals(bound * bound / 3, s.variance, 0.05 * bound * bound / 3, s.toString());
        Stats b = Stats.of(layer.bias().toDoubleArray());
        assertTrue(b.min >= -bound && b.max <= bound, b.toString());
        assertTrue(b.max - b.min > bound, "bias spreads over the range: " + b);
    }

    @Test
    void parametersAreNamedWeightAndBiasInPyTorchLayout() {
        Linear layer = new Linear(3, 5, true, 1);
        assertEquals(List.of("weight", "bias"), List.copyOf(layer.namedParameters().keySet()));
        assertArrayEquals(new long[] {5, 3}, layer.weight().shape());
        assertArrayEquals(new long[] {5}, layer.bias().shape());
        Linear noBias = new Linear(3, 5, false, 1);
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
    }

    @Test
    void theSameSeedGivesTheSameLayerAndFloat32IsFloat64Rounded() {
        Linear a = new Linear(8, 4, true, 11, DataType.DOUBLE);
        Linear b = new Linear(8, 4, true, 11, DataType.DOUBLE);
        Linear c = new Linear(8, 4, true, 12, DataType.DOUBLE);
        Linear f = new Linear(8, 4, true, 11);
        assertEquals(a.weight().value(), b.weight().value());
        assertEquals(a.bias().value(), b.bias().value());
        assertNotEquals(a.weight().value(), c.weight().value());
        assertEquals(DataType.FLOAT, f.weight().dtype());
        assertEquals(a.weight().value().castTo(DataType.FLOAT), f.weight().value());
    }

    @Test
    void forwardIsXTimesWeightTransposedPlusBiasOnBnd() {
        Linear layer = new Linear(4, 3, true, 5, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 6, 4);
        Tensor y = layer.forward(x);
        assertArrayEquals(new long[] {2, 6, 3}, y.shape());
        INDArray expected = x.value().reshape(12, 4).mmul(layer.weight().value().transpose())
                .addRowVector(layer.bias().value()).reshape(2, 6, 3);
        Close.assertClose("y", expected, y.value(), 1e-12);
    }

    @Test
    void gradientsReachWeightAndBias() {
        Linear layer = new Linear(4, 3, true, 5, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 6, 4);
        layer.forward(x).sum().backward();
        Close.assertClose("db", org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {3}, 12.0, DataType.DOUBLE),
                layer.bias().grad(), 1e-12);
        Close.assertClose("dW", x.value().reshape(12, 4).sum(0).reshape(1, 4).repeat(0, 3), layer.weight().grad(), 1e-12);
    }

    @Test
    void wrongInputWidthNamesLinearAndShapes() {
        Linear layer = new Linear(4, 3, true, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(DataType.FLOAT, 2, 6, 5)));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 6, 5]") && e.getMessage().contains("[3, 4]"),
                e.getMessage());
    }

    @Test
    void invalidSizesAndTypesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, true, 1));
        assertTrue(e.getMessage().startsWith("Linear:") && e.getMessage().contains("in = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(2, 3, true, 1, DataType.INT));
        assertTrue(e.getMessage().startsWith("Linear:") && e.getMessage().contains("INT"), e.getMessage());
    }

    /** Min, max, mean and (population) variance of a sample. */
    record Stats(double min, double max, double mean, double variance) {
        static Stats of(double[] v) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double x : v) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
            }
            double mean = sum / v.length;
            double ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return new Stats(min, max, mean, ss / v.length);
        }
    }
}
