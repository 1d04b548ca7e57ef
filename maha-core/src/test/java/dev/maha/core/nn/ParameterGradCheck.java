package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test helper: compares the gradients that backward accumulates into a float64 module's parameters
 * with central finite differences of {@code L = sum(f() ⊙ c)} for a random cotangent c, perturbing
 * each parameter element in place (the module's parameters cannot be handed to GradCheck as inputs).
 * Same rule as GradCheck: {@code |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|}.
 */
public final class ParameterGradCheck {
    private static final double EPS = 1e-6;

    private ParameterGradCheck() {
    }

    public static void assertGradientsMatchFiniteDifferences(Module module, Supplier<Tensor> f) {
        Tensor probe = f.get();
        INDArray cot = Nd4j.rand(DataType.DOUBLE, probe.shape()).subi(0.5);
        module.zeroGrad();
        f.get().backward(cot);
        int checked = 0;
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            if (p.dtype() != DataType.DOUBLE) fail("ParameterGradCheck needs float64 parameters: " + e.getKey());
            INDArray analytic = p.grad() == null ? Nd4j.zeros(DataType.DOUBLE, p.shape()) : p.grad().dup('c');
            INDArray v = p.value();
            for (long j = 0; j < v.length(); j++) {
                final long idx = j;
                double orig = v.getDouble(idx);
                p.update(a -> a.putScalar(idx, orig + EPS));
                double plus = loss(f, cot);
                p.update(a -> a.putScalar(idx, orig - EPS));
                double minus = loss(f, cot);
                p.update(a -> a.putScalar(idx, orig));
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic.getDouble(idx);
                if (!(Math.abs(a - numeric) <= 1e-7 + 1e-5 * Math.abs(numeric))) {
                    fail(e.getKey() + "[" + idx + "]: analytic " + a + ", numeric " + numeric);
                }
                checked++;
            }
        }
        if (checked == 0) fail("the module has no parameters");
        module.zeroGrad();
    }

    private static double loss(Supplier<Tensor> f, INDArray cot) {
        try (NoGrad off = NoGrad.enter()) {
            return f.get().value().mul(cot).sumNumber().doubleValue();
        }
    }
}
