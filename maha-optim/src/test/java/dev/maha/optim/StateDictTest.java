package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** State dicts have stable names; loading is strict and names every offending entry and shape. */
class StateDictTest {
    private Map<String, Tensor> params;
    private Adam adam;

    @BeforeEach
    void twoStepsOfAdam() {
        params = Runs.params(1, DataType.DOUBLE);
        adam = Adam.builder(0.01).build(params);
        for (int s = 0; s < 2; s++) {
            Runs.setGrads(params, 1, s);
            adam.step();
        }
    }

    @AfterEach
    void close() {
        adam.close();
        params.values().forEach(Tensor::close);
    }

    @Test
    void namesAreStableAndInParameterOrder() {
        assertEquals(List.of("step", "lr",
                        "layer.weight.step", "layer.weight.exp_avg", "layer.weight.exp_avg_sq",
                        "layer.bias.step", "layer.bias.exp_avg", "layer.bias.exp_avg_sq",
                        "scale.step", "scale.exp_avg", "scale.exp_avg_sq"),
                List.copyOf(adam.stateDict().keySet()));
        Map<String, INDArray> s = adam.stateDict();
        assertEquals(DataType.LONG, s.get("step").dataType());
        assertEquals(0, s.get("step").rank());
        assertEquals(2L, s.get("step").getLong(0));
        assertEquals(0.01, s.get("lr").getDouble(0), 0.0);
        assertArrayEquals(new long[] {3, 4}, s.get("layer.weight.exp_avg").shape());
        assertEquals(DataType.DOUBLE, s.get("layer.weight.exp_avg").dataType());
    }

    @Test
    void sgdWithoutMomentumKeepsOnlyStepCounts() {
        try (Sgd sgd = Sgd.builder(0.1).build(List.of(params.get("scale")))) {
            assertEquals(List.of("step", "lr", "0.step"), List.copyOf(sgd.stateDict().keySet()));
        }
        try (Sgd sgd = Sgd.builder(0.1).momentum(0.5).build(List.of(params.get("scale")))) {
            assertEquals(List.of("step", "lr", "0.step", "0.momentum_buffer"), List.copyOf(sgd.stateDict().keySet()));
        }
    }

    @Test
    void aMissingEntryIsNamedWithItsExpectedShape() {
        Map<String, INDArray> s = adam.stateDict();
        s.remove("layer.bias.exp_avg_sq");
        assertEquals("adam: cannot load the state dict: missing entry 'layer.bias.exp_avg_sq' (expected DOUBLE [4])",
                refused(s));
    }

    @Test
    void anUnexpectedEntryIsNamedWithItsShape() {
        Map<String, INDArray> s = adam.stateDict();
        s.put("layer.bias.momentum_buffer", Nd4j.zeros(DataType.DOUBLE, 4));
        assertEquals("adam: cannot load the state dict: unexpected entry 'layer.bias.momentum_buffer' (DOUBLE [4])",
                refused(s));
    }

    @Test
    void aMisShapedEntryIsNamedWithBothShapes() {
        Map<String, INDArray> s = adam.stateDict();
        s.put("layer.weight.exp_avg", Nd4j.zeros(DataType.DOUBLE, 4, 3));
        assertEquals("adam: cannot load the state dict: entry 'layer.weight.exp_avg' is DOUBLE [4, 3], expected DOUBLE [3, 4]"
                + " like its parameter", refused(s));
    }

    @Test
    void aMistypedEntryIsNamedWithBothTypes() {
        Map<String, INDArray> s = adam.stateDict();
        s.put("scale.exp_avg", Nd4j.zeros(DataType.FLOAT, 2, 1, 3));
        assertEquals("adam: cannot load the state dict: entry 'scale.exp_avg' is FLOAT [2, 1, 3], expected DOUBLE [2, 1, 3]"
                + " like its parameter", refused(s));
    }

    @Test
    void stepCountsMustBeNonNegativeIntegerScalars() {
        Map<String, INDArray> s = adam.stateDict();
        s.put("step", Nd4j.scalar(2.0));
        s.put("scale.step", Nd4j.scalar(-1L));
        s.put("lr", Nd4j.createFromArray(0.01));
        assertEquals("adam: cannot load the state dict: entry 'step' is DOUBLE [], expected an integer scalar, shape []; "
                + "entry 'lr' is DOUBLE [1], expected a floating-point scalar, shape []; "
                + "entry 'scale.step' = -1 must be ≥ 0", refused(s));
    }

    @Test
    void aParameterCannotHaveMoreStepsThanTheOptimizer() {
        Map<String, INDArray> s = adam.stateDict();
        s.put("layer.bias.step", Nd4j.scalar(3L));
        assertEquals("adam: cannot load the state dict: entry 'layer.bias.step' = 3 exceeds the optimizer's step count"
                + " 'step' = 2", refused(s));
    }

    @Test
    void everyProblemIsListedAndNothingIsLoaded() {
        Map<String, INDArray> good = adam.stateDict();
        Map<String, INDArray> s = new LinkedHashMap<>(good);
        s.put("lr", Nd4j.scalar(0.5));
        s.put("layer.weight.exp_avg", Nd4j.ones(DataType.DOUBLE, 3, 4));
        s.remove("scale.exp_avg");
        s.put("extra", Nd4j.scalar(1.0));
        String msg = refused(s);
        assertTrue(msg.contains("missing entry 'scale.exp_avg' (expected DOUBLE [2, 1, 3])"), msg);
        assertTrue(msg.contains("unexpected entry 'extra' (DOUBLE [])"), msg);
        assertEquals(0.01, adam.learningRate(), 0.0);
        assertEquals(good.get("layer.weight.exp_avg"), adam.stateDict().get("layer.weight.exp_avg"));
    }

    @Test
    void aNullDictIsRefused() {
        assertEquals("adam: state dict is null", refused(null));
    }

    @Test
    void aClosedOptimizerRefusesToStep() {
        adam.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
        assertEquals("adam.step: the optimizer was closed", e.getMessage());
    }

    @Test
    void aClosedParameterIsReportedByName() {
        params.get("layer.bias").close();
        IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
        assertEquals("adam: parameter 'layer.bias' was closed (did a scope free it?)", e.getMessage());
    }

    private String refused(Map<String, INDArray> state) {
        return assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(state)).getMessage();
    }
}
