package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import dev.maha.optim.solvers.ConvexAllocation.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;

/** Bad input: each error names the solver ("convex_allocation: "), the field and the value. */
class ConvexAllocationErrorsTest {
    private static final Tensor S = Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 2, 3);
    private static final Tensor G = Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0.5, 0, 0.5, 1, 0, 0, 0, 1}, 2, 3, 3);

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("convex_allocation: "), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
    }

    @Test
    void nonFiniteInputs() {
        assertMessage(() -> ConvexAllocation.solve(Tensor.of(new double[] {0.1, Double.NaN, 0.3}, 3), G.slice(0, 0, 1).reshape(3, 3),
                Options.exact()), "s holds NaN", "flat index 1");
        double[] g = G.toDoubleArray();
        g[4] = Double.POSITIVE_INFINITY;
        assertMessage(() -> ConvexAllocation.solve(S, Tensor.of(g, 2, 3, 3), Options.fista(10)), "gram holds Infinity", "flat index 4");
    }

    @Test
    void badOptions() {
        assertMessage(() -> Options.exact().withTau(0), "tau τ = 0.0", "> 0");
        assertMessage(() -> Options.exact().withTau(-1), "tau τ = -1.0");
        assertMessage(() -> Options.exact().withTau(Double.NaN), "tau τ = NaN");
        assertMessage(() -> Options.exact().withMu(-0.5), "mu μ = -0.5", ">= 0");
        assertMessage(() -> Options.exact().withMu(Double.POSITIVE_INFINITY), "mu μ = Infinity");
        assertMessage(() -> Options.fista(0), "iterations K = 0", ">= 1");
        assertMessage(() -> Options.exact().withIterations(-3), "iterations K = -3");
        assertMessage(() -> Options.fista(10).withTolerance(-1e-9), "tolerance = -1.0E-9");
        assertMessage(() -> Options.exact().withSolver(null), "solver = null");
        assertMessage(() -> Options.exact().withGradientMode(null), "gradientMode = null");
    }

    @Test
    void mismatchedShapes() {
        assertMessage(() -> ConvexAllocation.solve(S, Tensor.zeros(DataType.DOUBLE, 2, 3, 4), Options.exact()),
                "gram shape [2, 3, 4]", "[2, 3, 3]", "s of shape [2, 3]");
        assertMessage(() -> ConvexAllocation.solve(S, Tensor.zeros(DataType.DOUBLE, 3, 3), Options.exact()), "gram shape [3, 3]");
        assertMessage(() -> ConvexAllocation.solve(S, G, Tensor.ones(DataType.DOUBLE, 2, 2), Options.exact()),
                "mask shape [2, 2]", "[2, 3]");
        assertMessage(() -> ConvexAllocation.solve(S, G.cast(DataType.FLOAT), Options.exact()), "mix data types");
        assertMessage(() -> ConvexAllocation.solve(Tensor.scalar(1, DataType.DOUBLE), G, Options.exact()), "s must have shape [..., L]");
    }

    @Test
    void gramThatIsNotPositiveSemidefinite() {
        // Ĝ = [[1, 3], [3, 1]] has eigenvalue −2: P = I + 1·Ĝ is indefinite.
        Tensor g = Tensor.of(new double[] {1, 3, 3, 1}, 1, 2, 2);
        assertMessage(() -> ConvexAllocation.solve(Tensor.of(new double[] {0, 0}, 1, 2), g, Options.exact().withMu(1)),
                "not positive definite at instance 0", "μ = 1.0");
    }

    @Test
    void missingArguments() {
        assertMessage(() -> ConvexAllocation.solve(null, G, Options.exact()), "s is null");
        assertMessage(() -> ConvexAllocation.solve(S, null, Options.exact()), "gram is null");
        assertMessage(() -> ConvexAllocation.solve(S, G, null), "options is null");
    }
}
