package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.assertPrefixBitIdentical;
import static dev.maha.core.maha.PyramidTesting.cuts;
import static dev.maha.core.maha.PyramidTesting.futureChanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.nn.ParameterGradCheck;
import dev.maha.core.model.SequenceBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HybridBlockTest {
    private static final int D = 16;
    private static final int H = 4;
    private static final int L = 3;

    // ------------------------------------------------------------------ parity with the reference code

    @Test
    void referenceSoftmaxBlockReproducesPyTorch() {
        assertReproducesReference("", Aggregation.REFERENCE_SOFTMAX);
    }

    @Test
    void referenceConsensusBlockReproducesPyTorch() {
        assertReproducesReference("nash/", Aggregation.REFERENCE_CONSENSUS);
    }

    @Test
    void stateDictNamesAreTheReferenceNames() {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        for (String p : new String[] {"", "nash/"}) {
            HybridBlock block = referenceBlock(p.isEmpty() ? Aggregation.REFERENCE_SOFTMAX : Aggregation.REFERENCE_CONSENSUS);
            List<String> expected = new ArrayList<>(parameterNames(fx, p));
            List<String> actual = new ArrayList<>(block.stateDict().keySet());
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, p + "param_names");
            for (String name : parameterNames(fx, p)) {
                assertEquals(Arrays.toString(fx.get(p + name).shape()), Arrays.toString(block.stateDict().get(name).shape()), name);
            }
        }
    }

    private static void assertReproducesReference(String p, Aggregation mode) {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        HybridBlock block = referenceBlock(mode);
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (String name : parameterNames(fx, p)) state.put(name, fx.get(p + name));
        block.loadStateDict(state);
        block.eval();
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.of(fx.get(p + "x").dup()).requiresGrad(true);
            Map<String, Tensor> trace = new HashMap<>();
            HybridBlock.Detailed out = block.forwardDetailed(x, null, trace);
            Close.assertClose(p + "y", fx.get(p + "y"), out.output().value(), 1e-9);
            Close.assertClose(p + "aux", fx.get(p + "aux"), out.aux().value(), 1e-9);
            Close.assertClose(p + "act.x_conv", fx.get(p + "act.x_conv"), trace.get("x_conv").value(), 1e-9);
            for (int l = 0; l < L; l++) {
                for (String a : new String[] {"scale.", "v.", "attn.", "up."}) {
                    Close.assertClose(p + "act." + a + l, fx.get(p + "act." + a + l), trace.get(a + l).value(), 1e-9);
                }
            }
            Close.assertClose(p + "act.weights", fx.get(p + "act.weights"), trace.get("weights").value(), 1e-9);
            Close.assertClose(p + "act.agg", fx.get(p + "act.agg"), trace.get("agg").value(), 1e-9);
            Close.assertClose(p + "act.h1", fx.get(p + "act.h1"), trace.get("h1").value(), 1e-9);

            block.zeroGrad();
            out.output().backward(fx.get(p + "cot"));
            Close.assertClose(p + "grad.x", fx.get(p + "grad.x"), x.grad(), 1e-9);
            Map<String, Tensor> params = block.namedParameters();
            for (String name : parameterNames(fx, p)) {
                INDArray expected = fx.get(p + "grad." + name);
                INDArray g = params.get(name).grad();
                INDArray actual = g == null ? Nd4j.zeros(expected.dataType(), expected.shape()) : g;
                if (name.startsWith("attention.k_projs.") && name.endsWith(".bias")) {
                    // zero in exact arithmetic: a key bias adds q·b to every score of a query
                    Close.assertAbsClose(p + "grad." + name, expected, actual, 1e-12);
                } else {
                    Close.assertClose(p + "grad." + name, expected, actual, 1e-9);
                }
            }
        }
        block.zeroGrad();
    }

    private static HybridBlock referenceBlock(Aggregation mode) {
        MahaConfig cfg = MahaConfig.reference(D, H, L, 2).toBuilder().ffnWidth(32).aggregation(mode).build();
        return new HybridBlock(cfg, DataType.DOUBLE);
    }

    @SuppressWarnings("unchecked")
    private static List<String> parameterNames(SafeTensors.Contents fx, String p) {
        String json = fx.metadata().get(p + "param_names");
        List<String> out = new ArrayList<>();
        for (String part : json.replace("[", "").replace("]", "").split(",")) out.add(part.trim().replace("\"", ""));
        return out;
    }
}
