package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input names the solver, the field and the value. */
class ContestValidationTest {
    private static void fails(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("contest_equilibrium: "), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
    }

    @Test
    void optionsAreValidatedWhenBuilt() {
        fails(() -> ContestEquilibrium.Options.bestResponse().withDamping(1.5), "damping η", "1.5", "(0, 1]");
        fails(() -> ContestEquilibrium.Options.bestResponse().withDamping(0), "damping η", "0.0");
        fails(() -> ContestEquilibrium.Options.bestResponse(10, Double.NaN), "damping η", "NaN");
        fails(() -> ContestEquilibrium.Options.bestResponse().withIterations(0), "iterations K", "= 0");
        fails(() -> ContestEquilibrium.Options.bestResponse(-3, 0.5), "iterations K", "-3");
        fails(() -> ContestEquilibrium.Options.exact().withGradient(null), "gradient mode");
    }

    @Test
    void valuationsMustBeFiniteAndPositive() {
        try (Scope s = Scope.open()) {
            ContestEquilibrium.Options o = ContestEquilibrium.Options.exact();
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, Double.NaN, 2, 3}, 2, 2), o),
                    "valuations v", "NaN", "flat index 1");
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, 2, Double.POSITIVE_INFINITY, 3}, 2, 2), o),
                    "valuations v", "Infinity", "flat index 2");
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, 2, -0.5, 3}, 2, 2), o),
                    "valuations v", "-0.5", "must be > 0");
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, 0, 2, 3}, 2, 2),
                    ContestEquilibrium.Options.bestResponse()), "valuations v", "0.0", "must be > 0");
            fails(() -> ContestEquilibrium.solve(Tensor.of(new float[] {1, Float.NaN}, 2), o), "valuations v", "NaN");
            fails(() -> ContestEquilibrium.solve(Tensor.indices(new long[] {1, 2}, 2), o), "valuations v");
        }
    }

    @Test
    void maskMustMatchTheValuationsShape() {
        try (Scope s = Scope.open()) {
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2),
                    Tensor.of(Nd4j.ones(DataType.DOUBLE, 2, 3)), ContestEquilibrium.Options.exact()), "mask shape", "[2, 3]", "[2, 2]");
        }
    }

    /** A masked position is out of the game: its value may be ≤ 0, but never NaN. */
    @Test
    void maskedValuationsAreOnlyCheckedFinite() {
        try (Scope s = Scope.open()) {
            double[] w = ContestEquilibrium.solve(Tensor.of(new double[] {1, -5, 3}, 3),
                    Tensor.of(Nd4j.create(new double[] {1, 0, 1}, new long[] {3}, DataType.DOUBLE)), ContestEquilibrium.Options.exact())
                    .weights().toDoubleArray();
            assertTrue(w[0] == 0.25 && w[1] == 0 && w[2] == 0.75, java.util.Arrays.toString(w));
            fails(() -> ContestEquilibrium.solve(Tensor.of(new double[] {1, Double.NaN, 3}, 3),
                    Tensor.of(Nd4j.create(new double[] {1, 0, 1}, new long[] {3}, DataType.DOUBLE)), ContestEquilibrium.Options.exact()),
                    "valuations v", "NaN");
        }
    }
}
