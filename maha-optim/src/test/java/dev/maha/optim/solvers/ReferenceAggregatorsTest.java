package dev.maha.optim.solvers;

import static dev.maha.autograd.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The public reference code's two aggregations against its PyTorch intermediates, and their gradients. */
class ReferenceAggregatorsTest {
    private static final int L = 3;
    private static final double LAMBDA = 0.1;

    private static List<Tensor> upsampled(SafeTensors.Contents f, String prefix) {
        List<Tensor> u = new ArrayList<>();
        for (int l = 0; l < L; l++) u.add(Tensor.of(f.get(prefix + "act.up." + l)));
        return u;
    }

    @Test
    void softmaxMatchesTheReferenceBlock() {
        SafeTensors.Contents f = Fixtures.referenceBlock();
        try (Scope s = Scope.open()) {
            ReferenceSoftmax.Result r = ReferenceSoftmax.aggregate(upsampled(f, ""),
                    Tensor.of(f.get("aggregation.convex_logits")), LAMBDA);
            assertClose("weights", f.get("act.weights"), r.weights().value(), 1e-9);
            assertClose("aggregate", f.get("act.agg"), r.output().value(), 1e-9);
            assertEquals(0, r.auxLoss().rank());
            assertClose("aux", f.get("aux"), r.auxLoss().value(), 1e-9);
        }
    }

    @Test
    void consensusMatchesTheReferenceBlock() {
        SafeTensors.Contents f = Fixtures.referenceBlock();
        try (Scope s = Scope.open()) {
            ReferenceConsensus.Result r = ReferenceConsensus.aggregate(upsampled(f, "nash/"), 3);
            assertEquals(3, r.errors().size());
            for (int t = 0; t < 3; t++) {
                assertClose("errors " + t, f.get("nash/act.nash_errors." + t), r.errors().get(t).value(), 1e-9);
                assertClose("weights " + t, f.get("nash/act.nash_weights." + t), r.history().get(t).value(), 1e-9);
            }
            assertClose("weights", f.get("nash/act.weights"), r.weights().value(), 1e-9);
            assertClose("aggregate", f.get("nash/act.agg"), r.output().value(), 1e-9);
            // the reference's own story: the scale furthest from the consensus loses weight each round
            double[] w = r.weights().toDoubleArray();
            assertTrue(w[0] < 1.0 / 3 || w[1] < 1.0 / 3 || w[2] < 1.0 / 3);
        }
    }

    @Test
    void softmaxGradientsMatchFiniteDifferences() {
        try (Scope s = Scope.open()) {
            Tensor u0 = Tensor.randn(1, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            Tensor u1 = Tensor.randn(2, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            Tensor u2 = Tensor.randn(3, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            Tensor logits = Tensor.randn(4, DataType.DOUBLE, 3).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(in -> ReferenceSoftmax.aggregate(List.of(in[0], in[1], in[2]), in[3], LAMBDA)
                    .output(), u0, u1, u2, logits);
            assertTrue(r.passed(), r.toString());
            // the L1 term of softmax weights is the constant λ: no gradient reaches the logits through it
            Tensor aux = ReferenceSoftmax.aggregate(List.of(u0, u1, u2), logits, LAMBDA).auxLoss();
            aux.backward();
            assertEquals(LAMBDA, aux.item(), 1e-15);
            for (double g : logits.grad().dup('c').data().asDouble()) assertEquals(0, g, 1e-16);
        }
    }

    @Test
    void consensusGradientsMatchFiniteDifferences() {
        try (Scope s = Scope.open()) {
            Tensor u0 = Tensor.randn(5, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            Tensor u1 = Tensor.randn(6, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            Tensor u2 = Tensor.randn(7, DataType.DOUBLE, 2, 4, 3).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(in -> ReferenceConsensus.aggregate(List.of(in[0], in[1], in[2]), 3).output(),
                    u0, u1, u2);
            assertTrue(r.passed(), r.toString());
            GradCheck.Report rw = GradCheck.check(in -> ReferenceConsensus.aggregate(List.of(in[0], in[1], in[2]), 3).weights(),
                    u0, u1, u2);
            assertTrue(rw.passed(), rw.toString());
        }
    }

    @Test
    void zeroRoundsGiveThePlainMeanAndBadInputsAreNamed() {
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
            Tensor b = Tensor.of(new double[] {3, 2, 1, 0}, 1, 2, 2);
            ReferenceConsensus.Result r = ReferenceConsensus.aggregate(List.of(a, b), 0);
            assertArrayEquals(new double[] {2, 2, 2, 2}, r.output().toDoubleArray(), 1e-15);
            Tensor c = Tensor.of(new double[] {1, 2}, 1, 1, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceConsensus.aggregate(List.of(a, c), 3));
            assertTrue(e.getMessage().startsWith("reference_consensus: upsampled.1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceSoftmax.aggregate(List.of(a, b), Tensor.of(new double[] {0, 0, 0}, 3), LAMBDA));
            assertTrue(e.getMessage().startsWith("reference_softmax: logits"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ReferenceConsensus.aggregate(List.of(a, b), -1));
            assertTrue(e.getMessage().contains("iterations = -1"), e.getMessage());
        }
    }
}
