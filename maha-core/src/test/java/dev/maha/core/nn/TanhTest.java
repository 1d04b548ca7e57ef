package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The tanh activation module. */
class TanhTest {
    @Test
    void appliesTheElementwiseOpAndHasNoParameters() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4);
        assertEquals(x.tanh().value(), new Tanh().forward(x).value());
        assertEquals(0, new Tanh().parameterCount());
    }
}
