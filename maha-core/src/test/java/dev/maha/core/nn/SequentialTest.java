package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Chains of single-input modules. */
class SequentialTest {
    @Test
    void forwardChainsTheModulesInOrder() {
        Linear a = new Linear(4, 8, true, 1, DataType.DOUBLE);
        Linear b = new Linear(8, 3, true, 2, DataType.DOUBLE);
        Sequential s = new Sequential(a, new Tanh(), b);
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 5, 4);
        Tensor y = s.forward(x);
        assertArrayEquals(new long[] {2, 5, 3}, y.shape());
        assertEquals(b.forward(a.forward(x).tanh()).value(), y.value());
        assertEquals(3, s.size());
        assertSame(b, s.get(2));
    }

    @Test
    void childrenAreNamedByIndexIncludingParameterlessOnes() {
        Sequential ffn = new Sequential(new Linear(4, 8, true, 1), new Gelu(), new Dropout(0.1, 1), new Linear(8, 4, true, 2));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(ffn.namedParameters().keySet()));
        Module outer = new Module() {
            final Sequential f = registerModule("ffn", ffn);
        };
        assertEquals(List.of("ffn.0.weight", "ffn.0.bias", "ffn.3.weight", "ffn.3.bias"),
                List.copyOf(outer.stateDict().keySet()));
    }

    @Test
    void evalSwitchesOffDropoutInsideTheChain() {
        Sequential s = new Sequential(new Dropout(0.5, 1), new Relu());
        Tensor x = Tensor.ones(DataType.FLOAT, 16, 16);
        assertTrue(s.forward(x).value().minNumber().doubleValue() == 0);
        s.eval();
        assertEquals(x.value(), s.forward(x).value());
    }

    @Test
    void anEmptyChainIsTheIdentity() {
        Tensor x = Tensor.ones(DataType.FLOAT, 2);
        assertSame(x, new Sequential().forward(x));
    }

    @Test
    void tinyLinearGeluLinearPassesGradientChecksInFloat64() {
        Sequential net = new Sequential(new Linear(3, 5, true, 1, DataType.DOUBLE), new Gelu(),
                new Linear(5, 2, true, 2, DataType.DOUBLE));
        Tensor x = Tensor.randn(7, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> net.forward(in[0]), x);
        assertTrue(r.passed(), r.toString());
        Tensor fixed = Tensor.randn(8, DataType.DOUBLE, 2, 4, 3);
        ParameterGradCheck.assertGradientsMatchFiniteDifferences(net, () -> net.forward(fixed));
    }

    @Test
    void modulesWithoutASingleInputForwardAreRejected() {
        Module notALayer = new ModuleList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(new Relu(), notALayer));
        assertTrue(e.getMessage().contains("module 1") && e.getMessage().contains("ModuleList"), e.getMessage());
    }
}
