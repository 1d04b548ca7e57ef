package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.autograd.testing.OpFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every op listed in {@code ops.safetensors} is reproduced by the engine, outputs and gradients, to
 * 1e-9 relative in float64. The per-op test classes check the same fixtures one by one; this class
 * guarantees that the list is covered in full and that nothing in the file is skipped.
 */
class PyTorchParityTest {
    /** The engine expression for each fixture op (inputs in the fixture's order). */
    static final Map<String, Function<Tensor[], Tensor>> ENGINE = new LinkedHashMap<>();

    static {
        ENGINE.put("add", in -> in[0].add(in[1]));
        ENGINE.put("sub", in -> in[0].sub(in[1]));
        ENGINE.put("mul", in -> in[0].mul(in[1]));
        ENGINE.put("div", in -> in[0].div(in[1]));
        ENGINE.put("matmul_2d", in -> in[0].matmul(in[1]));
        ENGINE.put("matmul_batched", in -> in[0].matmul(in[1]));
        ENGINE.put("transpose", in -> in[0].transpose(1, 2));
        ENGINE.put("permute", in -> in[0].permute(2, 0, 3, 1));
        ENGINE.put("sum", in -> in[0].sum(false, 1));
        ENGINE.put("mean", in -> in[0].mean(false, 1));
        ENGINE.put("max", in -> in[0].max(1, false));
        ENGINE.put("exp", in -> in[0].exp());
        ENGINE.put("log", in -> in[0].log());
        ENGINE.put("tanh", in -> in[0].tanh());
        ENGINE.put("sigmoid", in -> in[0].sigmoid());
        ENGINE.put("relu", in -> in[0].relu());
        ENGINE.put("gelu", in -> in[0].gelu());
        ENGINE.put("softmax", in -> in[0].softmax(-1));
        ENGINE.put("log_softmax", in -> in[0].logSoftmax(-1));
        ENGINE.put("layer_norm", in -> Functional.layerNorm(in[0], in[1], in[2], 1e-5));
        ENGINE.put("embedding", in -> Functional.embedding(in[0], in[1]));
        ENGINE.put("cross_entropy", in -> Functional.crossEntropy(in[0], in[1]));
        ENGINE.put("conv1d", in -> Functional.conv1d(in[0], in[1], in[2], 2, 1, 1));
        ENGINE.put("conv1d_dilated", in -> Functional.conv1d(in[0], in[1], in[2], 1, 2, 2));
        ENGINE.put("max_pool1d", in -> Functional.maxPool1d(in[0], 2, 2, 0));
        ENGINE.put("upsample_nearest", in -> in[0].upsampleNearest(-1, 11));
        ENGINE.put("sdpa_causal", PyTorchParityTest::causalAttention);
    }

    /** softmax(q kᵀ / √E + M) v with M = −∞ above the diagonal, from engine ops: [B, H, N, E]. */
    static Tensor causalAttention(Tensor[] in) {
        Tensor q = in[0];
        Tensor k = in[1];
        Tensor v = in[2];
        long n = q.size(-2);
        Tensor strictlyUpper = Tensor.owning(Nd4j.createFromArray(upperMask((int) n)).reshape(n, n));
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(q.size(-1)));
        return scores.maskedFill(strictlyUpper, Double.NEGATIVE_INFINITY).softmax(-1).matmul(v);
    }

    private static boolean[] upperMask(int n) {
        boolean[] m = new boolean[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = true;
        return m;
    }

    static Stream<String> fixtureOps() throws Exception {
        String json = Fixtures.ops().metadata().get("ops");
        List<String> ops = List.of(new ObjectMapper().readValue(json, String[].class));
        return ops.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureOps")
    void matchesPyTorch(String op) {
        Function<Tensor[], Tensor> f = ENGINE.get(op);
        if (f == null) throw new AssertionError("no engine expression for fixture op '" + op + "'");
        OpFixture.check(op, f);
    }

    @Test
    void everyFixtureOpIsCovered() throws Exception {
        assertEquals(new TreeSet<>(fixtureOps().toList()), new TreeSet<>(ENGINE.keySet()));
        assertEquals(27, ENGINE.size());
    }
}
