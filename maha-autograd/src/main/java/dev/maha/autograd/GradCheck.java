package dev.maha.autograd;

import java.util.Arrays;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks an op's (or any function's) backward against central finite differences in float64.
 *
 * <p>For a function {@code f} of tensors and a random cotangent {@code c}, the analytic gradient of
 * {@code L(x) = sum(f(x) * c)} from backward is compared, element by element, with
 * {@code (L(x + eps·e_j) − L(x − eps·e_j)) / (2·eps)}. An element passes when
 * {@code |analytic − numeric| ≤ atol + rtol·|numeric|}. The report names the worst element.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check(in -> in[0].matmul(in[1]).tanh(), a, b);
 * assertTrue(r.passed(), r.toString());
 * }</pre>
 * Inputs must be float64. Only inputs with {@code requiresGrad} are checked; the others are held
 * fixed. Inputs may be non-contiguous views: the analytic pass sees them exactly as given.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Step and tolerances. */
    public record Options(double eps, double rtol, double atol, long seed) {
        /** eps 1e-6, rtol 1e-5, atol 1e-7: tight enough to catch any wrong formula in float64. */
        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-7, 1234);
        }

        /** A copy with other tolerances. */
        public Options tolerances(double rtol, double atol) {
            return new Options(eps, rtol, atol, seed);
        }
    }

    /** The outcome: the worst element over all checked inputs. */
    public record Report(boolean passed, int input, long[] index, double analytic, double numeric,
                         double error, int checkedElements) {
        @Override
        public String toString() {
            if (checkedElements == 0) return "GradCheck: no input requires a gradient";
            return "GradCheck " + (passed ? "passed" : "FAILED") + ": worst element is input " + input + " at "
                    + Arrays.toString(index) + ": analytic " + analytic + ", numeric " + numeric + ", |diff| " + error
                    + " (" + checkedElements + " elements checked)";
        }
    }

    /** Checks with {@link Options#defaults()}. */
    public static Report check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(Options.defaults(), f, inputs);
    }

    /** Checks {@code f} at {@code inputs}. */
    public static Report check(Options opt, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            INDArray v = inputs[i].value();
            if (v.dataType().isFPType() && v.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is " + v.dataType() + " "
                        + Shapes.str(v.shape()) + "; gradient checks need float64 inputs");
            }
        }
        // Analytic: one backward with a random cotangent, on the inputs exactly as given.
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Tensor.of(inputs[i].value()).requiresGrad(inputs[i].requiresGrad());
        }
        Tensor out = f.apply(leaves);
        INDArray cot = Nd4j.create(DataType.DOUBLE, out.shape());
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(cot, 0.0, 1.0),
                Nd4j.getRandomFactory().getNewRandomInstance(opt.seed()));
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("GradCheck: the output does not depend on any input that requires a gradient");
        }
        out.backward(cot);

        int worstInput = -1;
        long[] worstIndex = null;
        double worstA = 0;
        double worstN = 0;
        double worstErr = 0;
        double worstRatio = -1;
        int checked = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) continue;
            INDArray analytic = leaves[i].grad() == null ? Nd4j.zeros(DataType.DOUBLE, inputs[i].shape()) : leaves[i].grad();
            INDArray base = inputs[i].value().dup('c');
            long n = base.length();
            for (long j = 0; j < n; j++) {
                double orig = base.getDouble(j);
                base.putScalar(j, orig + opt.eps());
                double plus = loss(f, inputs, i, base, cot);
                base.putScalar(j, orig - opt.eps());
                double minus = loss(f, inputs, i, base, cot);
                base.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * opt.eps());
                long[] idx = Shapes.unravel(j, base.shape());
                double a = idx.length == 0 ? analytic.getDouble(0) : analytic.getDouble(idx);
                double err = Math.abs(a - numeric);
                double ratio = err / (opt.atol() + opt.rtol() * Math.abs(numeric));
                checked++;
                if (ratio > worstRatio || Double.isNaN(ratio)) {
                    worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                    worstInput = i;
                    worstIndex = idx;
                    worstA = a;
                    worstN = numeric;
                    worstErr = err;
                }
            }
        }
        return new Report(checked > 0 && worstRatio <= 1.0, worstInput, worstIndex, worstA, worstN, worstErr, checked);
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, int perturbed, INDArray value, INDArray cot) {
        try (NoGrad off = NoGrad.enter()) {
            Tensor[] args = new Tensor[inputs.length];
            for (int k = 0; k < inputs.length; k++) args[k] = Tensor.of(k == perturbed ? value : inputs[k].value());
            INDArray y = f.apply(args).value();
            return y.mul(cot).sumNumber().doubleValue();
        }
    }
}
