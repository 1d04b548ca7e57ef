package dev.maha.optim;

import static dev.maha.autograd.testing.Close.assertClose;

import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random training runs for the optimizer tests: three named parameters of different ranks, and
 * reproducible gradients g = 0.3·p + noise (so that any difference in p shows in later steps).
 * Every third step the last parameter gets no gradient, so skipping is exercised too.
 */
final class Runs {
    static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("layer.weight", new long[] {3, 4});
        SHAPES.put("layer.bias", new long[] {4});
        SHAPES.put("scale", new long[] {2, 1, 3});
    }

    private Runs() {
    }

    /** Fresh parameters with standard normal values drawn from {@code seed}. */
    static Map<String, Tensor> params(long seed, DataType dtype) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            double[] v = normal(rnd, (int) length(e.getValue()), 1.0);
            out.put(e.getKey(), Tensor.owning(Nd4j.create(v, e.getValue(), DataType.DOUBLE).castTo(dtype)).requiresGrad(true));
        }
        return out;
    }

    /**
     * Sets the gradients of step {@code step} (0-based) from the parameters' current values and
     * the noise of {@code (seed, step)}; the last parameter's gradient is null when step % 3 == 2.
     */
    static void setGrads(Map<String, Tensor> params, long seed, int step) {
        Random rnd = new Random(seed * 1_000_003L + step);
        int i = 0;
        for (Tensor p : params.values()) {
            boolean skip = step % 3 == 2 && i == params.size() - 1;
            i++;
            if (skip) {
                p.setGrad(null);
                continue;
            }
            double[] v = p.toDoubleArray();
            double[] noise = normal(rnd, v.length, 2.0);
            double[] g = new double[v.length];
            for (int k = 0; k < v.length; k++) g[k] = 0.3 * v[k] + noise[k];
            p.setGrad(Nd4j.create(g, p.shape(), DataType.DOUBLE).castTo(p.dtype()));
        }
    }

    /**
     * Runs {@code steps} steps of the optimizer and of the per-parameter reference rules side by
     * side from the same start, asserting after every step that each parameter matches to {@code tol}.
     */
    static void assertMatchesReference(Function<Map<String, Tensor>, Optimizer> build, Supplier<Reference.Rule> rule,
                                       long seed, DataType dtype, int steps, double tol) {
        Map<String, Tensor> params = params(seed, dtype);
        List<double[]> ref = new ArrayList<>();
        List<Reference.Rule> rules = new ArrayList<>();
        for (Tensor p : params.values()) {
            ref.add(p.toDoubleArray());
            rules.add(rule.get());
        }
        try (Optimizer opt = build.apply(params)) {
            for (int s = 0; s < steps; s++) {
                setGrads(params, seed, s);
                int i = 0;
                for (Tensor p : params.values()) {
                    if (p.grad() != null) rules.get(i).step(ref.get(i), p.grad().castTo(DataType.DOUBLE).dup('c').data().asDouble());
                    i++;
                }
                opt.step();
                i = 0;
                for (Map.Entry<String, Tensor> e : params.entrySet()) {
                    double[] expected = ref.get(i++);
                    assertClose(opt.name() + " step " + (s + 1) + " '" + e.getKey() + "'",
                            Nd4j.create(expected, e.getValue().shape(), DataType.DOUBLE), e.getValue().value(), tol);
                }
            }
        } finally {
            params.values().forEach(Tensor::close);
        }
    }

    static double[] normal(Random rnd, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = sd * rnd.nextGaussian();
        return v;
    }

    static long length(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
