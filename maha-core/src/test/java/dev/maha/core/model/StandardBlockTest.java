package dev.maha.core.model;

import static dev.maha.core.model.ModelTesting.assertMessage;
import static dev.maha.core.model.ModelTesting.keyMask;
import static dev.maha.core.model.ModelTesting.prefixValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.nn.LayerNorm;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.ParameterGradCheck;
import dev.maha.core.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The pre-LN baseline block: its formula, gradients, aux loss, dropout and checks. */
class StandardBlockTest {

    @Test
    void gradientMatchesFiniteDifferences() {
        for (boolean causal : new boolean[] {false, true}) {
            StandardBlock block = new StandardBlock(4, 2, 8, causal, null, 0.0, 3, DataType.DOUBLE);
            Tensor x = Tensor.randn(21, DataType.DOUBLE, 2, 5, 4).requiresGrad(true);
            Tensor mask = keyMask(prefixValid(5, 4, 5));
            GradCheck.Report r = GradCheck.check(in -> block.forward(in[0], mask).output(), x);
            assertTrue(r.passed(), "causal=" + causal + ": " + r);
            GradCheck.Report unmasked = GradCheck.check(in -> block.forward(in[0], null).output(), x);
            assertTrue(unmasked.passed(), "causal=" + causal + ", no mask: " + unmasked);
            Tensor fixed = Tensor.randn(22, DataType.DOUBLE, 2, 5, 4);
            ParameterGradCheck.assertGradientsMatchFiniteDifferences(block, () -> block.forward(fixed, mask).output());
        }
    }

    @Test
    void isThePreNormResidualFormula() {
        try (Scope scope = Scope.open()) {
            StandardBlock block = new StandardBlock(8, 2, 16, true, null, 0.0, 4, DataType.DOUBLE);
            Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 6, 8);
            LayerNorm n1 = (LayerNorm) block.namedModules().get("norm1");
            LayerNorm n2 = (LayerNorm) block.namedModules().get("norm2");
            Sequential ffn = (Sequential) block.namedModules().get("ffn");
            Tensor h = x.add(block.attention().forward(n1.forward(x), null));
            Tensor z = n2.forward(h);
            Linear up = (Linear) ffn.get(0);
            Linear down = (Linear) ffn.get(3);
            Tensor expected = h.add(Functional.linear(Functional.linear(z, up.weight(), up.bias()).gelu(),
                    down.weight(), down.bias()));
            SequenceBlock.BlockOutput out = block.forward(x, null);
            Close.assertClose("block", expected.value(), out.output().value(), 1e-13);
            assertEquals(0, out.aux().rank());
            assertEquals(0.0, out.aux().item());
            assertEquals(DataType.DOUBLE, out.aux().dtype());
        }
    }

    @Test
    void parameterNamesFollowTheReferenceLayout() {
        StandardBlock block = new StandardBlock(8, 2, false, 0.1, 1, DataType.FLOAT);
        assertEquals(List.of("norm1.weight", "norm1.bias", "attn.q.weight", "attn.q.bias", "attn.k.weight", "attn.k.bias",
                        "attn.v.weight", "attn.v.bias", "attn.o.weight", "attn.o.bias", "norm2.weight", "norm2.bias",
                        "ffn.0.weight", "ffn.0.bias", "ffn.3.weight", "ffn.3.bias"),
                List.copyOf(block.namedParameters().keySet()));
        assertArrayEquals(new long[] {32, 8}, block.namedParameters().get("ffn.0.weight").shape());
    }

    @Test
    void dropoutActsOnlyInTrainingMode() {
        try (Scope scope = Scope.open()) {
            StandardBlock block = new StandardBlock(8, 2, false, 0.5, 2, DataType.FLOAT);
            Tensor x = Tensor.randn(3, DataType.FLOAT, 1, 6, 8);
            double[] a = block.forward(x, null).output().toDoubleArray();
            double[] b = block.forward(x, null).output().toDoubleArray();
            assertFalse(java.util.Arrays.equals(a, b), "training mode: fresh dropout masks");
            block.eval();
            assertArrayEquals(block.forward(x, null).output().toDoubleArray(), block.forward(x, null).output().toDoubleArray());
        }
    }

    @Test
    void sameSeedSameBlock() {
        StandardBlock a = new StandardBlock(8, 2, true, 0.0, 9, DataType.FLOAT);
        StandardBlock b = new StandardBlock(8, 2, true, 0.0, 9, DataType.FLOAT);
        StandardBlock c = new StandardBlock(8, 2, true, 0.0, 10, DataType.FLOAT);
        assertTrue(a.flatParameters().equals(b.flatParameters()));
        assertFalse(a.flatParameters().equals(c.flatParameters()));
    }

    @Test
    void badInputsNameTheProblem() {
        assertMessage(() -> new StandardBlock(8, 3, false, 0.0, 1, DataType.FLOAT), "heads (3)", "width (8)");
        assertMessage(() -> new StandardBlock(8, 2, 0, false, null, 0.0, 1, DataType.FLOAT), "StandardBlock", "ffnWidth", "0");
        assertMessage(() -> new StandardBlock(8, 2, false, 1.0, 1, DataType.FLOAT), "StandardBlock", "dropout", "1.0");
        StandardBlock block = new StandardBlock(8, 2, false, 0.0, 1, DataType.FLOAT);
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.zeros(DataType.FLOAT, 2, 5, 4);
            assertMessage(() -> block.forward(x, null), "StandardBlock(d=8)", "x has shape [2, 5, 4]", "[B, n, 8]");
            Tensor good = Tensor.zeros(DataType.FLOAT, 2, 5, 8);
            Tensor mask = keyMask(prefixValid(5, 5, 5, 5));
            assertMessage(() -> block.forward(good, mask), "StandardBlock(d=8)", "keyValid has shape [3, 5]", "BOOL [2, 5]");
        }
    }
}
