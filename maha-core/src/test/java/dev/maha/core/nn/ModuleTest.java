package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The parameter tree: dotted names, modes, strict state dicts, flat buffers. */
class ModuleTest {
    static final class Attn extends Module {
        final Linear q = registerModule("q", new Linear(4, 4, true, 1, DataType.DOUBLE));
        final Linear k = registerModule("k", new Linear(4, 4, false, 2, DataType.DOUBLE));
    }

    static final class Block extends Module {
        final Attn attn = registerModule("attn", new Attn());
        final LayerNorm norm = registerModule("norm", new LayerNorm(4, 1e-5, DataType.DOUBLE));
        final Dropout drop = registerModule("drop", new Dropout(0.1, 3));
    }

    static final class Net extends Module {
        final ModuleList<Block> blocks = registerModule("blocks", new ModuleList<>(List.of(new Block(), new Block())));
        final Tensor scale = registerParameter("scale",
                Init.parameter(Init.uniform(new SplittableRandom(9), 1, DataType.DOUBLE, 4)));
    }

    private static final List<String> NET_NAMES = List.of("scale",
            "blocks.0.attn.q.weight", "blocks.0.attn.q.bias", "blocks.0.attn.k.weight", "blocks.0.norm.weight", "blocks.0.norm.bias",
            "blocks.1.attn.q.weight", "blocks.1.attn.q.bias", "blocks.1.attn.k.weight", "blocks.1.norm.weight", "blocks.1.norm.bias");

    @Test
    void nestedModulesHaveDottedNamesOwnParametersFirstThenChildrenInRegistrationOrder() {
        Net net = new Net();
        assertEquals(NET_NAMES, new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(NET_NAMES, new ArrayList<>(net.stateDict().keySet()));
        assertSame(net.blocks.get(1).attn.q.weight(), net.namedParameters().get("blocks.1.attn.q.weight"));
        assertEquals(List.copyOf(net.namedParameters().values()), net.parameters());
    }

    @Test
    void namedModulesListTheTreeWithTheRootFirst() {
        Net net = new Net();
        assertEquals(List.of("", "blocks", "blocks.0", "blocks.0.attn", "blocks.0.attn.q", "blocks.0.attn.k", "blocks.0.norm",
                        "blocks.0.drop", "blocks.1", "blocks.1.attn", "blocks.1.attn.q", "blocks.1.attn.k", "blocks.1.norm",
                        "blocks.1.drop"),
                new ArrayList<>(net.namedModules().keySet()));
        assertSame(net.blocks.get(0).drop, net.namedModules().get("blocks.0.drop"));
    }

    @Test
    void parametersAreLeavesThatRequireGradients() {
        for (Tensor p : new Net().parameters()) {
            assertTrue(p.isLeaf() && p.requiresGrad(), p.toString());
        }
    }

    @Test
    void parameterCountSumsEveryElement() {
        // per block: q 16 + 4, k 16, norm 4 + 4 = 44; plus scale 4
        assertEquals(2 * 44 + 4, new Net().parameterCount());
    }

    @Test
    void aTensorRegisteredTwiceIsListedOnceUnderItsFirstName() {
        Linear a = new Linear(3, 2, false, 1);
        Module tied = new Module() {
            final Linear first = registerModule("first", a);
            final Module second = registerModule("second", new Module() {
                final Tensor w = registerParameter("w", a.weight());
            });
        };
        assertEquals(List.of("first.weight"), new ArrayList<>(tied.namedParameters().keySet()));
        assertEquals(6, tied.parameterCount());
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Net net = new Net();
        for (Module m : net.namedModules().values()) assertTrue(m.isTraining());
        assertSame(net, net.eval());
        for (Module m : net.namedModules().values()) assertFalse(m.isTraining(), m.toString());
        net.blocks.get(1).train();
        assertFalse(net.isTraining());
        assertTrue(net.blocks.get(1).attn.q.isTraining());
        assertFalse(net.blocks.get(0).drop.isTraining());
        net.train();
        for (Module m : net.namedModules().values()) assertTrue(m.isTraining(), m.toString());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Net net = new Net();
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 4);
        Block b = net.blocks.get(0);
        b.norm.forward(b.attn.k.forward(b.attn.q.forward(x))).mul(net.scale).sum().backward();
        assertTrue(b.attn.q.weight().grad() != null && net.scale.grad() != null);
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertNull(p.grad());
    }

    @Test
    void stateDictHoldsTheLiveValues() {
        Net net = new Net();
        INDArray w = net.stateDict().get("blocks.0.attn.q.weight");
        assertSame(net.blocks.get(0).attn.q.weight().value(), w);
    }

    @Test
    void loadStateDictCopiesValuesIntoTheExistingArrays() {
        Net source = new Net();
        source.scale.update(v -> v.assign(7));
        Net target = new Net();
        INDArray before = target.scale.value();
        target.loadStateDict(source.stateDict());
        assertSame(before, target.scale.value());
        for (Map.Entry<String, INDArray> e : source.stateDict().entrySet()) {
            assertEquals(e.getValue(), target.stateDict().get(e.getKey()), e.getKey());
            assertFalse(e.getValue() == target.stateDict().get(e.getKey()), "copied, not shared: " + e.getKey());
        }
    }

    @Test
    void loadStateDictConvertsToTheParameterType() {
        Linear f32 = new Linear(3, 2, true, 1);
        Linear f64 = new Linear(3, 2, true, 2, DataType.DOUBLE);
        f32.loadStateDict(f64.stateDict());
        assertEquals(DataType.FLOAT, f32.weight().dtype());
        assertEquals(f64.weight().value().castTo(DataType.FLOAT), f32.weight().value());
    }

    @Test
    void strictLoadNamesEveryMissingExtraMisShapedAndNonFloatingTensorAndChangesNothing() {
        Net net = new Net();
        Map<String, INDArray> snapshot = copy(net.stateDict());
        Map<String, INDArray> state = copy(new Net().stateDict());
        for (INDArray v : state.values()) v.assign(3);
        state.remove("blocks.0.attn.q.bias");
        state.put("blocks.0.attn.v.weight", Nd4j.zeros(DataType.DOUBLE, 4, 4));
        state.put("blocks.1.norm.weight", Nd4j.zeros(DataType.DOUBLE, 5));
        state.put("scale", Nd4j.zeros(DataType.LONG, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        String m = e.getMessage();
        assertTrue(m.contains("4 problems"), m);
        assertTrue(m.contains("missing 'blocks.0.attn.q.bias' [4]"), m);
        assertTrue(m.contains("unexpected 'blocks.0.attn.v.weight' [4, 4]"), m);
        assertTrue(m.contains("'blocks.1.norm.weight' has shape [5], expected [4]"), m);
        assertTrue(m.contains("'scale' has data type LONG"), m);
        for (Map.Entry<String, INDArray> s : snapshot.entrySet()) {
            assertEquals(s.getValue(), net.stateDict().get(s.getKey()), "untouched: " + s.getKey());
        }
    }

    @Test
    void flatParametersRoundTrip() {
        Net a = new Net();
        INDArray flat = a.flatParameters();
        assertArrayEquals(new long[] {a.parameterCount()}, flat.shape());
        assertEquals(a.stateDict().get("scale").getDouble(2), flat.getDouble(2));
        assertEquals(a.stateDict().get("blocks.0.attn.q.weight").getDouble(1, 2), flat.getDouble(4 + 4 + 2));
        Net b = new Net();
        b.scale.update(v -> v.assign(-1));
        b.loadFlatParameters(flat);
        for (Map.Entry<String, INDArray> e : a.stateDict().entrySet()) {
            assertEquals(e.getValue(), b.stateDict().get(e.getKey()), e.getKey());
        }
        assertEquals(flat, b.flatParameters());
    }

    @Test
    void flatGradientsHaveZerosWhereNoGradientExistsAndRoundTrip() {
        Net net = new Net();
        net.scale.setGrad(Nd4j.valueArrayOf(new long[] {4}, 2.0, DataType.DOUBLE));
        Linear k1 = net.blocks.get(1).attn.k;
        k1.weight().setGrad(Nd4j.valueArrayOf(new long[] {4, 4}, 5.0, DataType.DOUBLE));
        INDArray flat = net.flatGradients();
        assertEquals(net.parameterCount(), flat.length());
        assertEquals(4 * 2.0 + 16 * 5.0, flat.sumNumber().doubleValue(), 0);
        assertEquals(2.0, flat.getDouble(0));
        assertEquals(0.0, flat.getDouble(4));

        Net other = new Net();
        other.loadFlatGradients(flat.mul(3));
        assertEquals(Nd4j.valueArrayOf(new long[] {4}, 6.0, DataType.DOUBLE), other.scale.grad());
        assertEquals(Nd4j.valueArrayOf(new long[] {4, 4}, 15.0, DataType.DOUBLE), other.blocks.get(1).attn.k.weight().grad());
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 4), other.blocks.get(0).norm.bias().grad());
        assertEquals(flat.mul(3), other.flatGradients());
    }

    @Test
    void flatBuffersOfTheWrongLengthAreRejectedBeforeAnyChange() {
        Net net = new Net();
        INDArray snapshot = net.flatParameters();
        long n = net.parameterCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.loadFlatParameters(Nd4j.zeros(DataType.DOUBLE, n - 1)));
        assertTrue(e.getMessage().contains(Long.toString(n)) && e.getMessage().contains("[" + (n - 1) + "]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.loadFlatGradients(Nd4j.zeros(DataType.DOUBLE, n + 1)));
        assertEquals(snapshot, net.flatParameters());
        for (Tensor p : net.parameters()) assertNull(p.grad());
    }

    @Test
    void namesMustBeUniqueAndDotFree() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Tensor a = registerParameter("a.b", Init.parameter(Nd4j.zeros(DataType.FLOAT, 2)));
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Tensor a = registerParameter("w", Init.parameter(Nd4j.zeros(DataType.FLOAT, 2)));
            final Relu b = registerModule("w", new Relu());
        });
        assertTrue(e.getMessage().contains("'w' is already registered"), e.getMessage());
    }

    @Test
    void aModuleCannotContainItself() {
        ModuleList<Module> outer = new ModuleList<>();
        ModuleList<Module> inner = outer.add(new ModuleList<>());
        assertThrows(IllegalArgumentException.class, () -> inner.add(outer));
        assertThrows(IllegalArgumentException.class, () -> outer.add(outer));
    }

    @Test
    void opResultsAndIntegerTensorsCannotBeParameters() {
        Tensor leaf = Tensor.randn(1, DataType.FLOAT, 3).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Tensor w = registerParameter("w", leaf.mul(2.0));
        });
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("leaves"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            final Tensor w = registerParameter("w", Tensor.indices(new long[] {1, 2}, 2));
        });
    }

    @Test
    void layersBuiltInsideAScopeKeepTheirParametersAfterItCloses() {
        Linear layer;
        try (Scope scope = Scope.open()) {
            layer = new Linear(3, 2, true, 1);
        }
        assertFalse(layer.weight().isClosed());
        assertEquals(6, layer.weight().value().length());
    }

    @Test
    void aModuleWithoutParametersHasEmptyStateAndFlatBuffers() {
        Relu relu = new Relu();
        assertTrue(relu.stateDict().isEmpty());
        assertEquals(0, relu.parameterCount());
        assertEquals(0, relu.flatParameters().length());
        assertEquals(0, relu.flatGradients().length());
        relu.loadFlatParameters(relu.flatParameters());
        relu.loadStateDict(Map.of());
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> state) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
