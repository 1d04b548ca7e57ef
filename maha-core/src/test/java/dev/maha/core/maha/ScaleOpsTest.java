package dev.maha.core.maha;

import static dev.maha.autograd.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused aggregation ops against the same formulas composed from generic engine ops (stack,
 * broadcast products, reductions, batched matmul), forward and backward, at shapes where every
 * dimension differs (B = 2, h = 3, n = 5, d_h = 6, L = 4), with and without an availability table,
 * on contiguous and permuted (non-contiguous) inputs.
 */
class ScaleOpsTest {
    private static final int B = 2, H = 3, N = 5, DH = 6, L = 4;

    /** Scale 1 unavailable at 0; scale 3 unavailable at 0..2; row-major [n, L]. */
    private static boolean[] table() {
        boolean[] t = new boolean[N * L];
        for (int i = 0; i < N; i++) {
            for (int l = 0; l < L; l++) t[i * L + l] = !(l == 1 && i == 0) && !(l == 3 && i < 3);
        }
        return t;
    }

    private static Tensor cond(boolean[] table) {
        return Tensor.owning(Nd4j.create(table, new long[] {1, 1, N, L, 1}, DataType.BOOL));
    }

    /** Stacked scales [B, h, n, L, d_h], zeroed where unavailable. */
    private static Tensor stacked(Tensor[] u, boolean[] table) {
        Tensor s = Tensor.stack(3, u);
        return table == null ? s : Tensor.where(cond(table), s, Tensor.scalar(0, s.dtype()));
    }

    private static Tensor composedUtilities(Tensor[] u, Tensor a, Tensor b, boolean[] table) {
        Tensor aHead = a.permute(1, 0, 2).reshape(1, H, 1, L, DH);
        Tensor bHead = b.transpose(0, 1).reshape(1, H, 1, L);
        return stacked(u, table).mul(aHead).sum(false, 4).mul(1.0 / Math.sqrt(DH)).add(bHead);
    }

    private static Tensor composedGram(Tensor[] u, boolean[] table) {
        Tensor s = stacked(u, table);
        Tensor unit = s.div(s.mul(s).sum(true, 4).add(ScaleAggregator.GRAM_EPS).sqrt());
        return unit.matmul(unit.transpose(3, 4));
    }

    private static Tensor composedMix(Tensor[] u, Tensor w, boolean[] table) {
        return stacked(u, table).mul(w.unsqueeze(4)).sum(false, 3);
    }

    /** u.0..u.3, a, b, w, all requiring gradients; u.1 and u.3 are permuted views when {@code views}. */
    private static Tensor[] inputs(long seed, DataType type, boolean views) {
        return inputs(seed, type, views, B);
    }

    private static Tensor[] inputs(long seed, DataType type, boolean views, int B) {
        Tensor[] in = new Tensor[L + 3];
        for (int l = 0; l < L; l++) {
            if (views && l % 2 == 1) {
                Tensor base = Tensor.randn(seed + l, type, B, N, H, DH).requiresGrad(true);
                in[l] = base;   // permuted inside the function, so the op sees a non-contiguous view
            } else {
                in[l] = Tensor.randn(seed + l, type, B, H, N, DH).requiresGrad(true);
            }
        }
        in[L] = Tensor.randn(seed + 10, type, L, H, DH).requiresGrad(true);
        in[L + 1] = Tensor.randn(seed + 11, type, L, H).requiresGrad(true);
        in[L + 2] = Tensor.randn(seed + 12, type, B, H, N, L).requiresGrad(true);
        return in;
    }

    private static Tensor[] scales(Tensor[] in) {
        Tensor[] u = new Tensor[L];
        for (int l = 0; l < L; l++) u[l] = in[l].shape()[1] == N ? in[l].permute(0, 2, 1, 3) : in[l];
        return u;
    }

    /** Output and every input gradient of {@code f} and {@code g} agree, for one random cotangent. */
    private static void assertSame(String what, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed,
                                   long seed, DataType type, boolean views, double tol) {
        assertSame(what, fused, composed, seed, type, views, tol, B);
    }

    private static void assertSame(String what, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed,
                                   long seed, DataType type, boolean views, double tol, int batch) {
        try (Scope scope = Scope.open()) {
            Tensor[] x = inputs(seed, type, views, batch);
            Tensor[] y = inputs(seed, type, views, batch);
            Tensor fx = fused.apply(x);
            Tensor gy = composed.apply(y);
            assertEquals(type, fx.dtype(), what);
            assertClose(what + " forward", gy.value(), fx.value(), tol);
            INDArray cot = Tensor.randn(seed + 99, type, fx.shape()).value();
            fx.backward(cot);
            gy.backward(cot);
            for (int j = 0; j < x.length; j++) {
                if (y[j].grad() == null) continue;
                assertTrue(x[j].grad() != null, what + ": no gradient for input " + j);
                assertClose(what + " gradient of input " + j, y[j].grad(), x[j].grad(), tol);
            }
        }
    }

    /** The mixture op for these inputs' length: the same-position case of {@link UpsampledMix}. */
    private static UpsampledMix mixOp(Tensor[] in, boolean[] table) {
        return UpsampledMix.samePositions(Math.toIntExact(in[0].size(2)), L, table);
    }

    private static Tensor[] withParams(Tensor[] in, int... extra) {
        Tensor[] u = scales(in);
        Tensor[] out = new Tensor[L + extra.length];
        System.arraycopy(u, 0, out, 0, L);
        for (int j = 0; j < extra.length; j++) out[L + j] = in[extra[j]];
        return out;
    }

    @Test
    void fusedOpsMatchTheComposedEngineComputation() {
        for (boolean[] table : new boolean[][] {null, table()}) {
            for (boolean views : new boolean[] {false, true}) {
                String tag = (table == null ? "all available" : "with availability") + (views ? ", views" : "");
                assertSame("utilities, " + tag,
                        in -> Tensor.apply(new ScaleOps.Utilities(L, table), withParams(in, L, L + 1)),
                        in -> composedUtilities(scales(in), in[L], in[L + 1], table), 1, DataType.DOUBLE, views, 1e-12);
                assertSame("gram, " + tag,
                        in -> Tensor.apply(new ScaleOps.CosineGram(L, table, ScaleAggregator.GRAM_EPS), scales(in)),
                        in -> composedGram(scales(in), table), 2, DataType.DOUBLE, views, 1e-12);
                assertSame("mix, " + tag,
                        in -> Tensor.apply(mixOp(in, table), withParams(in, L + 2)),
                        in -> composedMix(scales(in), in[L + 2], table), 3, DataType.DOUBLE, views, 1e-12);
            }
        }
    }

    @Test
    void manyInstancesSplitIntoParallelChunksMatchTheComposedComputation() {
        // 300 · 3 · 5 = 4500 instances: three chunks of 2048, the last one partial, run in parallel.
        boolean[] table = table();
        assertSame("utilities, chunked", in -> Tensor.apply(new ScaleOps.Utilities(L, table), withParams(in, L, L + 1)),
                in -> composedUtilities(scales(in), in[L], in[L + 1], table), 4, DataType.DOUBLE, true, 1e-12, 300);
        assertSame("gram, chunked", in -> Tensor.apply(new ScaleOps.CosineGram(L, table, ScaleAggregator.GRAM_EPS), scales(in)),
                in -> composedGram(scales(in), table), 5, DataType.DOUBLE, false, 1e-12, 300);
        assertSame("mix, chunked", in -> Tensor.apply(mixOp(in, table), withParams(in, L + 2)),
                in -> composedMix(scales(in), in[L + 2], table), 6, DataType.DOUBLE, true, 1e-12, 300);
    }

    @Test
    void float32FusedOpsMatchTheComposedComputation() {
        boolean[] table = table();
        assertSame("utilities f32", in -> Tensor.apply(new ScaleOps.Utilities(L, table), withParams(in, L, L + 1)),
                in -> composedUtilities(scales(in), in[L], in[L + 1], table), 4, DataType.FLOAT, true, 1e-5);
        assertSame("gram f32", in -> Tensor.apply(new ScaleOps.CosineGram(L, table, ScaleAggregator.GRAM_EPS), scales(in)),
                in -> composedGram(scales(in), table), 5, DataType.FLOAT, true, 1e-5);
        assertSame("mix f32", in -> Tensor.apply(mixOp(in, table), withParams(in, L + 2)),
                in -> composedMix(scales(in), in[L + 2], table), 6, DataType.FLOAT, true, 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        boolean[] table = table();
        try (Scope scope = Scope.open()) {
            Tensor[] in = inputs(7, DataType.DOUBLE, true, 1);
            in[L + 2].requiresGrad(false);
            GradCheck.Report r = GradCheck.check(x -> Tensor.apply(new ScaleOps.Utilities(L, table), withParams(x, L, L + 1)), in);
            assertTrue(r.passed(), "utilities: " + r);
            in[L].requiresGrad(false);
            in[L + 1].requiresGrad(false);
            r = GradCheck.check(x -> Tensor.apply(new ScaleOps.CosineGram(L, table, ScaleAggregator.GRAM_EPS), scales(x)), in);
            assertTrue(r.passed(), "gram: " + r);
            in[L + 2].requiresGrad(true);
            r = GradCheck.check(x -> Tensor.apply(mixOp(x, table), withParams(x, L + 2)), in);
            assertTrue(r.passed(), "mix: " + r);
        }
    }
}
