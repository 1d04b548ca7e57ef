package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.Tensor;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Adam follows torch.optim.Adam's rules (L2 decay in the gradient, bias correction). */
class AdamTest {
    @ParameterizedTest(name = "lr {0}, betas ({1}, {2}), eps {3}, wd {4}")
    @CsvSource({
            "0.001, 0.9, 0.999, 1e-8, 0",
            "0.01, 0.9, 0.999, 1e-8, 0.01",
            "0.1, 0.5, 0.9, 1e-3, 0.2",
            "0.05, 0, 0, 1e-8, 0"})
    void matchesPyTorchRulesToTwelveDigits(double lr, double beta1, double beta2, double eps, double weightDecay) {
        Runs.assertMatchesReference(
                p -> Adam.builder(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay).build(p),
                () -> new Reference.Adam(lr, beta1, beta2, eps, weightDecay, false),
                42, DataType.DOUBLE, 10, 1e-12);
    }

    @Property(tries = 60)
    void matchesPyTorchRulesForAnyHyperParameters(@ForAll @DoubleRange(min = 0, max = 0.5) @Scale(6) double lr,
                                                  @ForAll @DoubleRange(min = 0, max = 0.999) @Scale(6) double beta1,
                                                  @ForAll @DoubleRange(min = 0, max = 0.9999) @Scale(6) double beta2,
                                                  @ForAll @DoubleRange(min = 1e-10, max = 1e-2) @Scale(12) double eps,
                                                  @ForAll @DoubleRange(min = 0, max = 0.5) @Scale(6) double weightDecay,
                                                  @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Runs.assertMatchesReference(
                p -> Adam.builder(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay).build(p),
                () -> new Reference.Adam(lr, beta1, beta2, eps, weightDecay, false),
                seed, DataType.DOUBLE, 6, 1e-12);
    }

    @Test
    void float32ParametersFollowTheSameRules() {
        Runs.assertMatchesReference(
                p -> Adam.builder(0.01).weightDecay(0.01).build(p),
                () -> new Reference.Adam(0.01, 0.9, 0.999, 1e-8, 0.01, false),
                7, DataType.FLOAT, 6, 1e-5);
    }

    @Test
    void firstStepMovesByTheLearningRateAgainstTheGradientsSign() {
        // p = 1, g = 2, lr = 0.1: m = 0.2, v = 0.004, 1 − β1 = 0.1, 1 − β2 = 0.001,
        // denom = √0.004/√0.001 + 1e-8 = 2 + 1e-8, p = 1 − (0.1/0.1)·0.2/(2 + 1e-8) = 1 − 0.1/(1 + 5e-9)
        Tensor p = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        try (Adam adam = Adam.builder(0.1).build(List.of(p))) {
            p.setGrad(Nd4j.createFromArray(2.0));
            adam.step();
            assertEquals(0.9000000005, p.item(), 1e-15);
            assertEquals((1 - 0.9) * 2.0, adam.stateDict().get("0.exp_avg").getDouble(0), 0.0);
            assertEquals((1 - 0.999) * 4.0, adam.stateDict().get("0.exp_avg_sq").getDouble(0), 0.0);
            assertEquals(1L, adam.stateDict().get("0.step").getLong(0));
        }
    }

    @Test
    void weightDecayEntersTheMoments() {
        // p = 2, g = 0, wd = 0.5: d = 1, so the first step is the same as for g = 1 without decay.
        Tensor a = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        try (Adam decayed = Adam.builder(0.1).weightDecay(0.5).build(List.of(a));
             Adam plain = Adam.builder(0.1).build(List.of(b))) {
            a.setGrad(Nd4j.createFromArray(0.0));
            b.setGrad(Nd4j.createFromArray(1.0));
            decayed.step();
            plain.step();
            assertEquals(b.item(), a.item(), 0.0);
            assertEquals((1 - 0.9) * 1.0, decayed.stateDict().get("0.exp_avg").getDouble(0), 0.0);
        }
    }
}
