package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maha.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;

/** Bad hyper-parameters and parameter lists are refused at construction, naming optimizer, field and value. */
class HyperParametersTest {
    private final List<Tensor> p = List.of(Tensor.of(new double[] {1, 2}, 2).requiresGrad(true));

    @Test
    void sgd() {
        assertMessage("sgd: lr = -0.1 must be a finite number ≥ 0", () -> Sgd.builder(-0.1).build(p));
        assertMessage("sgd: lr = NaN must be a finite number ≥ 0", () -> Sgd.builder(Double.NaN).build(p));
        assertMessage("sgd: momentum = -0.9 must be a finite number ≥ 0", () -> Sgd.builder(0.1).momentum(-0.9).build(p));
        assertMessage("sgd: dampening = 1.5 must lie in [0, 1]", () -> Sgd.builder(0.1).momentum(0.9).dampening(1.5).build(p));
        assertMessage("sgd: weightDecay = -1.0E-4 must be a finite number ≥ 0", () -> Sgd.builder(0.1).weightDecay(-1e-4).build(p));
        assertMessage("sgd: nesterov needs momentum > 0 and dampening = 0, got momentum = 0.0, dampening = 0.0",
                () -> Sgd.builder(0.1).nesterov(true).build(p));
        assertMessage("sgd: nesterov needs momentum > 0 and dampening = 0, got momentum = 0.9, dampening = 0.1",
                () -> Sgd.builder(0.1).momentum(0.9).dampening(0.1).nesterov(true).build(p));
    }

    @Test
    void adam() {
        assertMessage("adam: lr = Infinity must be a finite number ≥ 0", () -> Adam.builder(Double.POSITIVE_INFINITY).build(p));
        assertMessage("adam: beta1 = 1.0 must lie in [0, 1)", () -> Adam.builder(1e-3).betas(1.0, 0.999).build(p));
        assertMessage("adam: beta2 = -0.5 must lie in [0, 1)", () -> Adam.builder(1e-3).betas(0.9, -0.5).build(p));
        assertMessage("adam: eps = 0.0 must be a finite number > 0", () -> Adam.builder(1e-3).eps(0).build(p));
        assertMessage("adam: weightDecay = -0.01 must be a finite number ≥ 0", () -> Adam.builder(1e-3).weightDecay(-0.01).build(p));
    }

    @Test
    void adamw() {
        assertMessage("adamw: lr = -1.0 must be a finite number ≥ 0", () -> AdamW.builder(-1).build(p));
        assertMessage("adamw: beta1 = NaN must lie in [0, 1)", () -> AdamW.builder(1e-3).betas(Double.NaN, 0.999).build(p));
        assertMessage("adamw: beta2 = 1.0 must lie in [0, 1)", () -> AdamW.builder(1e-3).betas(0.9, 1.0).build(p));
        assertMessage("adamw: eps = -1.0E-8 must be a finite number > 0", () -> AdamW.builder(1e-3).eps(-1e-8).build(p));
        assertMessage("adamw: weightDecay = NaN must be a finite number ≥ 0", () -> AdamW.builder(1e-3).weightDecay(Double.NaN).build(p));
    }

    @Test
    void learningRateSetLater() {
        try (Adam adam = Adam.builder(1e-3).build(p)) {
            assertMessage("adam: lr = -0.001 must be a finite number ≥ 0", () -> adam.setLearningRate(-1e-3));
            assertEquals(1e-3, adam.learningRate(), 0.0);
        }
    }

    @Test
    void parameterLists() {
        assertMessage("sgd: no parameters to optimize", () -> Sgd.builder(0.1).build(List.of()));
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Map<String, Tensor> twice = new LinkedHashMap<>();
        twice.put("w", w);
        twice.put("w2", w);
        assertMessage("adam: one tensor is registered twice, as 'w' and 'w2'", () -> Adam.builder(0.1).build(twice));
        Tensor derived = w.mul(2.0);
        assertMessage("adam: parameter '0' is the result of op '" + derived.opName() + "'; only leaf tensors can be optimized",
                () -> Adam.builder(0.1).build(List.of(derived)));
        Tensor ids = Tensor.indices(new long[] {1, 2}, 2);
        assertMessage("adamw: parameter 'ids' has data type LONG; optimizers support FLOAT and DOUBLE",
                () -> AdamW.builder(0.1).build(Map.of("ids", ids)));
        Map<String, Tensor> nested = new LinkedHashMap<>();
        nested.put("a", Tensor.zeros(DataType.DOUBLE, 2));
        nested.put("a.exp_avg", Tensor.zeros(DataType.DOUBLE, 2));
        nested.put("a.exp_avg.exp", Tensor.zeros(DataType.DOUBLE, 2));
        try (Adam ok = Adam.builder(0.1).build(nested)) {
            assertEquals(11, ok.stateDict().size());
        }
        Map<String, Tensor> unnamed = new LinkedHashMap<>();
        unnamed.put("", w);
        assertMessage("sgd: a parameter has a null or empty name", () -> Sgd.builder(0.1).build(unnamed));
    }

    private static void assertMessage(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
