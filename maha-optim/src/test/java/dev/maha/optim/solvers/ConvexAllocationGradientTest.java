package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.optim.solvers.ConvexAllocation.Options;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradients of the allocation QP with respect to s and G, in both modes and with both solvers,
 * against float64 finite differences and against each other. The instances have a stable active
 * set (weights and multipliers ≥ 1e-3), so that finite-difference steps stay on one smooth piece.
 */
class ConvexAllocationGradientTest {
    private static Tensor[] instances(long seed, double mu) {
        Tensor[] sg = Problems.stableBatch(new Random(seed), 3, 5, 3, 1, mu, 1e-3);
        return new Tensor[] {sg[0].requiresGrad(true), sg[1].requiresGrad(true)};
    }

    private static void assertGradCheck(String what, Options o, Tensor[] sg, Tensor mask) {
        GradCheck.Report r = GradCheck.check(in -> ConvexAllocation.solve(in[0], in[1], mask, o).weights(), sg[0], sg[1]);
        assertTrue(r.passed(), what + ": " + r);
    }

    @Test
    void exactSolveImplicitGradientMatchesFiniteDifferences() {
        assertGradCheck("exact", Options.exact().withMu(1.5), instances(1, 1.5), null);
    }

    @Test
    void exactSolveUnrolledFallsBackToTheImplicitGradient() {
        Tensor[] sg = instances(2, 0.8);
        Options implicit = Options.exact().withMu(0.8);
        INDArray cot = Nd4j.rand(DataType.DOUBLE, 3, 5);
        ConvexAllocation.solve(sg[0], sg[1], implicit).weights().backward(cot);
        INDArray ds = sg[0].grad().dup();
        INDArray dg = sg[1].grad().dup();
        sg[0].zeroGrad();
        sg[1].zeroGrad();
        ConvexAllocation.solve(sg[0], sg[1], implicit.withGradientMode(GradientMode.UNROLLED)).weights().backward(cot);
        Close.assertAbsClose("ds", ds, sg[0].grad(), 0);
        Close.assertAbsClose("dG", dg, sg[1].grad(), 0);
        assertGradCheck("exact, unrolled", implicit.withGradientMode(GradientMode.UNROLLED), sg, null);
    }

    @Test
    void unrolledGradientOfAFewIterationsMatchesFiniteDifferences() {
        // Not converged: the unrolled gradient is the derivative of x_K itself, step size and momentum included.
        Tensor[] sg = instances(3, 1.0);
        for (int k : new int[] {1, 2, 5, 20}) assertGradCheck("K = " + k, Options.fista(k).withMu(1.0), sg, null);
    }

    @Test
    void unrolledGradientOfManyIterationsMatchesFiniteDifferences() {
        assertGradCheck("K = 400", Options.fista(400).withMu(1.0), instances(4, 1.0), null);
    }

    @Test
    void implicitGradientAtAConvergedFistaSolutionMatchesFiniteDifferences() {
        assertGradCheck("fista implicit", Options.fista(1000).withMu(1.0).withGradientMode(GradientMode.IMPLICIT), instances(5, 1.0), null);
    }

    @Test
    void unrolledWithLargeKAgreesWithImplicit() {
        Tensor[] sg = instances(6, 2.0);
        INDArray cot = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5);
        ConvexAllocation.solve(sg[0], sg[1], Options.exact().withMu(2.0)).weights().backward(cot);
        INDArray ds = sg[0].grad().dup();
        INDArray dg = sg[1].grad().dup();
        sg[0].zeroGrad();
        sg[1].zeroGrad();
        ConvexAllocation.solve(sg[0], sg[1], Options.fista(2000).withMu(2.0)).weights().backward(cot);
        Close.assertAbsClose("ds", ds, sg[0].grad(), 1e-6);
        Close.assertAbsClose("dG", dg, sg[1].grad(), 1e-6);
    }

    @Test
    void maskedScalesGetNoGradient() {
        Tensor[] sg = instances(7, 1.0);
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 3, 5);
        assertGradCheck("masked exact", Options.exact().withMu(1.0), sg, mask);
        assertGradCheck("masked unrolled", Options.fista(30).withMu(1.0), sg, mask);
        ConvexAllocation.solve(sg[0], sg[1], mask, Options.exact().withMu(1.0)).weights().backward(Nd4j.rand(DataType.DOUBLE, 3, 5));
        assertEquals(0, sg[0].grad().getDouble(0, 2), 0);
        for (int j = 0; j < 5; j++) {
            assertEquals(0, sg[1].grad().getDouble(0, 2, j), 0);
            assertEquals(0, sg[1].grad().getDouble(0, j, 2), 0);
        }
    }

    @Test
    void gramGradientIsSymmetricAndVanishesWithoutRedundancyWeight() {
        Tensor[] sg = instances(8, 0);
        ConvexAllocation.solve(sg[0], sg[1], Options.exact().withMu(0)).weights().backward(Nd4j.rand(DataType.DOUBLE, 3, 5));
        Close.assertAbsClose("dG at μ = 0", Nd4j.zeros(DataType.DOUBLE, 3, 5, 5), sg[1].grad(), 0);
        Tensor[] other = instances(9, 1.0);
        ConvexAllocation.solve(other[0], other[1], Options.exact().withMu(1.0)).weights().backward(Nd4j.rand(DataType.DOUBLE, 3, 5));
        INDArray dg = other[1].grad();
        Close.assertAbsClose("dG symmetric", dg, dg.permute(0, 2, 1).dup(), 0);
    }
}
