package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The gelu activation module. */
class GeluTest {
    @Test
    void appliesTheElementwiseOpAndHasNoParameters() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4);
        assertEquals(x.gelu().value(), new Gelu().forward(x).value());
        assertEquals(0, new Gelu().parameterCount());
    }
}
