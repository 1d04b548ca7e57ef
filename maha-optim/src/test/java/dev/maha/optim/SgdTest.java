package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Sgd follows torch.optim.SGD's rules: checked by hand and against the element-wise reference. */
class SgdTest {
    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("plain", 0.1, 0.0, 0.0, false, 0.0),
                Arguments.of("momentum", 0.05, 0.9, 0.0, false, 0.0),
                Arguments.of("nesterov", 0.05, 0.9, 0.0, true, 0.0),
                Arguments.of("weight decay", 0.1, 0.0, 0.0, false, 0.01),
                Arguments.of("dampening", 0.05, 0.8, 0.3, false, 0.0),
                Arguments.of("momentum, dampening and weight decay", 0.02, 0.95, 0.5, false, 0.1),
                Arguments.of("nesterov and weight decay", 0.03, 0.7, 0.0, true, 0.05));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void matchesPyTorchRulesToTwelveDigits(String name, double lr, double momentum, double dampening, boolean nesterov,
                                           double weightDecay) {
        Runs.assertMatchesReference(
                p -> Sgd.builder(lr).momentum(momentum).dampening(dampening).nesterov(nesterov).weightDecay(weightDecay).build(p),
                () -> new Reference.Sgd(lr, momentum, dampening, nesterov, weightDecay),
                42, DataType.DOUBLE, 8, 1e-12);
    }

    @Property(tries = 60)
    void matchesPyTorchRulesForAnyHyperParameters(@ForAll @DoubleRange(min = 0, max = 1) @Scale(6) double lr,
                                                  @ForAll @DoubleRange(min = 0, max = 0.99) @Scale(6) double momentum,
                                                  @ForAll @DoubleRange(min = 0, max = 1) @Scale(6) double dampening,
                                                  @ForAll boolean nesterov,
                                                  @ForAll @DoubleRange(min = 0, max = 0.5) @Scale(6) double weightDecay,
                                                  @ForAll @LongRange(min = 0, max = 1000) long seed) {
        double damp = nesterov ? 0 : dampening;
        Assume.that(!nesterov || momentum > 0);
        Runs.assertMatchesReference(
                p -> Sgd.builder(lr).momentum(momentum).dampening(damp).nesterov(nesterov).weightDecay(weightDecay).build(p),
                () -> new Reference.Sgd(lr, momentum, damp, nesterov, weightDecay),
                seed, DataType.DOUBLE, 5, 1e-12);
    }

    @Test
    void float32ParametersFollowTheSameRules() {
        Runs.assertMatchesReference(
                p -> Sgd.builder(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).build(p),
                () -> new Reference.Sgd(0.05, 0.9, 0, true, 0.01),
                7, DataType.FLOAT, 6, 1e-5);
    }

    @Test
    void momentumBufferStartsAsTheFirstGradient() {
        // p = 1, g = 0.5 twice, lr = 0.1, μ = 0.9:
        //   step 1: b = 0.5,               p = 1 − 0.05 = 0.95
        //   step 2: b = 0.9·0.5 + 0.5 = 0.95, p = 0.95 − 0.095 = 0.855
        Tensor p = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        try (Sgd sgd = Sgd.builder(0.1).momentum(0.9).build(List.of(p))) {
            p.setGrad(Nd4j.createFromArray(0.5));
            sgd.step();
            assertEquals(0.95, p.item(), 1e-15);
            assertEquals(0.5, sgd.stateDict().get("0.momentum_buffer").getDouble(0), 0.0);
            sgd.step();
            assertEquals(0.855, p.item(), 1e-15);
            assertEquals(0.95, sgd.stateDict().get("0.momentum_buffer").getDouble(0), 1e-15);
        }
    }

    @Test
    void nesterovLooksAheadAlongTheBuffer() {
        // p = 2, g = 1 then 3, lr = 0.1, μ = 0.5, wd = 0.25 (d = g + 0.25·p):
        //   step 1: d = 1.5,  b = 1.5,                    p = 2 − 0.1·(1.5 + 0.75) = 1.775
        //   step 2: d = 3 + 0.44375 = 3.44375, b = 0.75 + 3.44375 = 4.19375,
        //           p = 1.775 − 0.1·(3.44375 + 2.096875) = 1.2209375
        Tensor p = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        try (Sgd sgd = Sgd.builder(0.1).momentum(0.5).nesterov(true).weightDecay(0.25).build(List.of(p))) {
            p.setGrad(Nd4j.createFromArray(1.0));
            sgd.step();
            assertEquals(1.775, p.item(), 1e-15);
            p.setGrad(Nd4j.createFromArray(3.0));
            sgd.step();
            assertEquals(1.2209375, p.item(), 1e-15);
        }
    }

    @Test
    void parametersWithoutGradientAreLeftAlone() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        try (Sgd sgd = Sgd.builder(0.5).momentum(0.9).build(Map.of("a", a, "b", b))) {
            a.setGrad(Nd4j.createFromArray(1.0, 1.0));
            sgd.step();
            assertEquals(0.5, a.value().getDouble(0), 0.0);
            assertEquals(3.0, b.value().getDouble(0), 0.0);
            assertEquals(1L, sgd.stateDict().get("a.step").getLong(0));
            assertEquals(0L, sgd.stateDict().get("b.step").getLong(0));
            assertEquals(1L, sgd.steps());
            sgd.zeroGrad();
            assertNull(a.grad());
        }
    }
}
