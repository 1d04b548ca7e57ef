package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Layer normalisation: ones/zeros initialisation, normalised output, eps. */
class LayerNormTest {
    @Test
    void initialisationIsOnesAndZeros() {
        LayerNorm ln = new LayerNorm(6);
        assertEquals(Nd4j.ones(DataType.FLOAT, 6), ln.weight().value());
        assertEquals(Nd4j.zeros(DataType.FLOAT, 6), ln.bias().value());
        assertEquals(1e-5, ln.eps());
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
    }

    @Test
    void outputHasZeroMeanAndUnitVarianceOverTheLastAxisOfBnd() {
        LayerNorm ln = new LayerNorm(16, 1e-5, DataType.DOUBLE);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 5, 16).mul(3.0).add(2.0);
        INDArray y = ln.forward(x).value();
        Close.assertAbsClose("mean", Nd4j.zeros(DataType.DOUBLE, 2, 5), y.mean(2), 1e-12);
        Close.assertAbsClose("variance", Nd4j.ones(DataType.DOUBLE, 2, 5), y.var(false, 2), 1e-5);
    }

    @Test
    void forwardUsesItsParametersAndEps() {
        LayerNorm ln = new LayerNorm(4, 0.5, DataType.DOUBLE);
        ln.weight().update(v -> v.assign(Nd4j.create(new double[] {1, 2, 3, 4})));
        ln.bias().update(v -> v.assign(-1));
        Tensor x = Tensor.randn(2, DataType.DOUBLE, 3, 4);
        Close.assertClose("y", Functional.layerNorm(x, ln.weight(), ln.bias(), 0.5).value(), ln.forward(x).value(), 1e-15);
    }

    @Test
    void invalidSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4, 0));
        assertTrue(e.getMessage().startsWith("LayerNorm:") && e.getMessage().contains("eps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0));
    }
}
