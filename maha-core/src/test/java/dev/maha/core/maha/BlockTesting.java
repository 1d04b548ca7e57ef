package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.fail;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import dev.maha.core.nn.Module;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers of the layer and block tests. */
final class BlockTesting {
    private static final double EPS = 1e-6;

    private BlockTesting() {
    }

    /**
     * Checks the parameter gradients of a float64 module along random directions: for a random cotangent c
     * and, per parameter tensor p, two random directions v (standard normal, seeded), the analytic
     * {@code ⟨∂L/∂p, v⟩} of {@code L = sum(f() ⊙ c)} against the central difference
     * {@code (L(p + εv) − L(p − εv)) / 2ε}, passing when {@code |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|}.
     * Two forward passes per direction instead of two per element, so every tensor of a whole block is
     * covered cheaply; a parameter whose gradient stays null counts as gradient 0.
     */
    static void assertDirectionalGradients(String what, Module module, Supplier<Tensor> f, long seed) {
        Tensor probe = f.get();
        INDArray cot = Tensor.randn(seed, DataType.DOUBLE, probe.shape()).value();
        module.zeroGrad();
        f.get().backward(cot);
        int k = 0;
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            if (p.dtype() != DataType.DOUBLE) fail(what + ": needs float64 parameters, " + e.getKey() + " is " + p.dtype());
            INDArray grad = p.grad() == null ? Nd4j.zeros(DataType.DOUBLE, p.shape()) : p.grad().dup('c');
            INDArray original = p.value().dup('c');
            for (int dir = 0; dir < 2; dir++) {
                INDArray v = Tensor.randn(seed * 1000 + k++, DataType.DOUBLE, p.shape()).value();
                double analytic = grad.mul(v).sumNumber().doubleValue();
                p.update(a -> a.assign(original.add(v.mul(EPS))));
                double plus = loss(f, cot);
                p.update(a -> a.assign(original.sub(v.mul(EPS))));
                double minus = loss(f, cot);
                p.update(a -> a.assign(original));
                double numeric = (plus - minus) / (2 * EPS);
                if (!(Math.abs(analytic - numeric) <= 1e-7 + 1e-5 * Math.abs(numeric))) {
                    fail(what + ": " + e.getKey() + " along direction " + dir + ": analytic " + analytic + ", numeric " + numeric);
                }
            }
        }
        module.zeroGrad();
    }

    private static double loss(Supplier<Tensor> f, INDArray cot) {
        try (NoGrad off = NoGrad.enter()) {
            return f.get().value().mul(cot).sumNumber().doubleValue();
        }
    }
}
