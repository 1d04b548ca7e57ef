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

/** AdamW follows torch.optim.AdamW's rules: decoupled decay p·(1 − lr·wd), then the Adam step. */
class AdamWTest {
    @ParameterizedTest(name = "lr {0}, betas ({1}, {2}), eps {3}, wd {4}")
    @CsvSource({
            "0.001, 0.9, 0.999, 1e-8, 0.01",
            "0.01, 0.9, 0.95, 1e-8, 0.1",
            "0.1, 0.5, 0.9, 1e-3, 0.5",
            "0.05, 0.9, 0.999, 1e-8, 0"})
    void matchesPyTorchRulesToTwelveDigits(double lr, double beta1, double beta2, double eps, double weightDecay) {
        Runs.assertMatchesReference(
                p -> AdamW.builder(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay).build(p),
                () -> new Reference.Adam(lr, beta1, beta2, eps, weightDecay, true),
                42, DataType.DOUBLE, 10, 1e-12);
    }

    @Property(tries = 60)
    void matchesPyTorchRulesForAnyHyperParameters(@ForAll @DoubleRange(min = 0, max = 0.5) @Scale(6) double lr,
                                                  @ForAll @DoubleRange(min = 0, max = 0.999) @Scale(6) double beta1,
                                                  @ForAll @DoubleRange(min = 0, max = 0.9999) @Scale(6) double beta2,
                                                  @ForAll @DoubleRange(min = 1e-10, max = 1e-2) @Scale(12) double eps,
                                                  @ForAll @DoubleRange(min = 0, max = 1) @Scale(6) double weightDecay,
                                                  @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Runs.assertMatchesReference(
                p -> AdamW.builder(lr).betas(beta1, beta2).eps(eps).weightDecay(weightDecay).build(p),
                () -> new Reference.Adam(lr, beta1, beta2, eps, weightDecay, true),
                seed, DataType.DOUBLE, 6, 1e-12);
    }

    @Test
    void float32ParametersFollowTheSameRules() {
        Runs.assertMatchesReference(
                p -> AdamW.builder(0.01).weightDecay(0.1).build(p),
                () -> new Reference.Adam(0.01, 0.9, 0.999, 1e-8, 0.1, true),
                7, DataType.FLOAT, 6, 1e-5);
    }

    @Test
    void decayShrinksTheParameterOutsideTheMoments() {
        // p = 2, g = 1, lr = 0.1, wd = 0.5: p ← 2·(1 − 0.05) = 1.9, then the Adam step of g = 1:
        // m = 0.1, v = 0.001, denom = 1 + 1e-8, p = 1.9 − 1·0.1/(1 + 1e-8).
        Tensor p = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        try (AdamW adamw = AdamW.builder(0.1).weightDecay(0.5).build(List.of(p))) {
            p.setGrad(Nd4j.createFromArray(1.0));
            adamw.step();
            assertEquals(1.9 - 0.1 / (1 + 1e-8), p.item(), 1e-15);
            assertEquals((1 - 0.9) * 1.0, adamw.stateDict().get("0.exp_avg").getDouble(0), 0.0);
        }
    }

    @Test
    void defaultsAreTorchsDefaults() {
        Tensor p = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        try (AdamW adamw = AdamW.builder(1e-3).build(List.of(p))) {
            assertEquals(0.9, adamw.beta1());
            assertEquals(0.999, adamw.beta2());
            assertEquals(1e-8, adamw.eps());
            assertEquals(0.01, adamw.weightDecay());
        }
    }
}
