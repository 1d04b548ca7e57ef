package dev.maha.core.model;

import static dev.maha.core.model.ModelTesting.assertMessage;
import static dev.maha.core.model.ModelTesting.keyMask;
import static dev.maha.core.model.ModelTesting.prefixValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.ParameterGradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The dense baseline attention against a direct composition of engine ops, its gradients and its checks. */
class MultiHeadSelfAttentionTest {
    private static final int B = 2;
    private static final int N = 7;
    private static final int D = 8;
    private static final int H = 2;

    /** x Wᵀ + b by matmul and add. */
    private static Tensor affine(Linear l, Tensor x) {
        return x.matmul(l.weight().transpose(0, 1)).add(l.bias());
    }

    private static boolean visible(int j, int jp, boolean causal, Integer w) {
        if (causal && jp > j) return false;
        if (w == null) return true;
        return causal ? j - jp < w : Math.abs(j - jp) <= w / 2;
    }

    /** Linear, reshape to heads, softmax(Q Kᵀ/√d_h + mask) V, merge, O, each step a separate engine op. */
    private static Tensor composed(MultiHeadSelfAttention a, Tensor x, boolean[][] valid) {
        int b = (int) x.size(0);
        int n = (int) x.size(1);
        int h = a.heads();
        int dh = a.width() / h;
        Tensor q = affine(a.query(), x).reshape(b, n, h, dh).permute(0, 2, 1, 3);
        Tensor k = affine(a.key(), x).reshape(b, n, h, dh).permute(0, 2, 1, 3);
        Tensor v = affine(a.value(), x).reshape(b, n, h, dh).permute(0, 2, 1, 3);
        boolean[] hidden = new boolean[b * n * n];
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < n; j++) {
                for (int jp = 0; jp < n; jp++) {
                    boolean ok = visible(j, jp, a.isCausal(), a.window()) && (valid == null || valid[bi][jp]);
                    hidden[(bi * n + j) * n + jp] = !ok;
                }
            }
        }
        Tensor mask = Tensor.owning(Nd4j.create(hidden, new long[] {b, 1, n, n}, DataType.BOOL));
        Tensor s = q.matmul(k.transpose(2, 3)).div(Math.sqrt(dh)).maskedFill(mask, Double.NEGATIVE_INFINITY);
        Tensor o = s.softmax(3).matmul(v).permute(0, 2, 1, 3).reshape(b, n, a.width());
        return affine(a.output(), o);
    }

    private static void assertMatchesComposed(boolean causal, Integer window, boolean[][] valid) {
        try (Scope scope = Scope.open()) {
            MultiHeadSelfAttention a = new MultiHeadSelfAttention(D, H, causal, window, 11, DataType.DOUBLE);
            Tensor x = Tensor.randn(5, DataType.DOUBLE, B, N, D);
            Tensor mask = valid == null ? null : keyMask(valid);
            Tensor y = a.forward(x, mask);
            assertArrayEquals(new long[] {B, N, D}, y.shape());
            Close.assertClose("causal=" + causal + ", window=" + window + ", padded=" + (valid != null),
                    composed(a, x, valid).value(), y.value(), 1e-12);
        }
    }

    @Test
    void equalsTheComposedComputationWithoutMasks() {
        assertMatchesComposed(false, null, null);
    }

    @Test
    void equalsTheComposedComputationCausal() {
        assertMatchesComposed(true, null, null);
    }

    @Test
    void equalsTheComposedComputationWithKeyPadding() {
        assertMatchesComposed(false, null, prefixValid(N, 5, 7));
        assertMatchesComposed(true, null, prefixValid(N, 3, 6));
    }

    @Test
    void equalsTheComposedComputationWindowed() {
        assertMatchesComposed(false, 3, null);
        assertMatchesComposed(true, 2, prefixValid(N, 7, 4));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadSelfAttention a = new MultiHeadSelfAttention(4, 2, causal, 3, DataType.DOUBLE);
            Tensor x = Tensor.randn(8, DataType.DOUBLE, 2, 5, 4).requiresGrad(true);
            Tensor mask = keyMask(prefixValid(5, 5, 3));
            GradCheck.Report r = GradCheck.check(in -> a.forward(in[0], mask), x);
            assertTrue(r.passed(), "causal=" + causal + ": " + r);
            Tensor fixed = Tensor.randn(9, DataType.DOUBLE, 2, 5, 4);
            ParameterGradCheck.assertGradientsMatchFiniteDifferences(a, () -> a.forward(fixed, mask));
        }
    }

    @Test
    void parametersAreTheFourProjections() {
        MultiHeadSelfAttention a = new MultiHeadSelfAttention(D, H, true, 1, DataType.FLOAT);
        assertEquals(List.of("q.weight", "q.bias", "k.weight", "k.bias", "v.weight", "v.bias", "o.weight", "o.bias"),
                List.copyOf(a.namedParameters().keySet()));
        assertEquals(4L * (D * D + D), a.parameterCount());
    }

    @Test
    void badInputsNameTheProblem() {
        assertMessage(() -> new MultiHeadSelfAttention(6, 4, false, 1, DataType.FLOAT), "heads (4)", "width (6)");
        assertMessage(() -> new MultiHeadSelfAttention(8, 2, false, 0, 1, DataType.FLOAT), "window", "0");
        MultiHeadSelfAttention a = new MultiHeadSelfAttention(D, H, false, 1, DataType.FLOAT);
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.zeros(DataType.FLOAT, 2, 5, 6);
            assertMessage(() -> a.forward(x, null), "MultiHeadSelfAttention", "x has shape [2, 5, 6]", "[B, n, 8]");
            Tensor good = Tensor.zeros(DataType.FLOAT, 2, 5, D);
            Tensor mask = keyMask(prefixValid(4, 4, 4));
            assertMessage(() -> a.forward(good, mask), "keyValid has shape [2, 4]", "BOOL [2, 5]");
            Tensor intMask = Tensor.indices(new long[10], 2, 5);
            assertMessage(() -> a.forward(good, intMask), "keyValid", "LONG", "BOOL [2, 5]");
        }
    }
}
