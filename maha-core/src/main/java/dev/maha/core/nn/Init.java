package dev.maha.core.nn;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded parameter initialisation, PyTorch's defaults, and the creation of parameter tensors.
 *
 * <p>Values are drawn in Java from a {@link SplittableRandom} in row-major order, in double
 * precision, then rounded to the parameter's type: the same seed gives the same model on every
 * machine, and a float32 model equals the float64 model of the same seed rounded to float32.
 *
 * <pre>{@code
 * SplittableRandom rng = new SplittableRandom(seed);
 * double bound = 1 / Math.sqrt(in);                                  // PyTorch's nn.Linear default
 * Tensor w = Init.parameter(Init.uniform(rng, bound, DataType.FLOAT, out, in));
 * }</pre>
 */
public final class Init {
    private Init() {
    }

    /** Values uniform in {@code [−bound, bound)}, drawn from {@code rng} in row-major order. */
    public static INDArray uniform(SplittableRandom rng, double bound, DataType dtype, long... shape) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("Init.uniform: bound must be positive and finite, got " + bound);
        }
        return fill(rng, dtype, shape, r -> r.nextDouble(-bound, bound), "Init.uniform");
    }

    /** Values from N(0, std²), drawn from {@code rng} in row-major order. */
    public static INDArray normal(SplittableRandom rng, double std, DataType dtype, long... shape) {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("Init.normal: std must be positive and finite, got " + std);
        }
        return fill(rng, dtype, shape, r -> std * r.nextGaussian(), "Init.normal");
    }

    /** Every element equal to {@code value}. */
    public static INDArray constant(double value, DataType dtype, long... shape) {
        requireFloating("Init.constant", dtype);
        return Nd4j.valueArrayOf(shape, value, dtype);
    }

    /**
     * A parameter: an unmanaged leaf tensor over {@code value} with {@code requiresGrad(true)}. No
     * {@link dev.maha.autograd.Scope} ever frees it, so it survives the training steps' scopes.
     */
    public static Tensor parameter(INDArray value) {
        return Tensor.of(value).requiresGrad(true);
    }

    /** Requires a floating-point data type, or an error naming {@code what}. */
    public static void requireFloating(String what, DataType dtype) {
        if (dtype == null || !dtype.isFPType()) {
            throw new IllegalArgumentException(what + ": dtype must be floating point (FLOAT, DOUBLE, ...), got " + dtype);
        }
    }

    private interface Draw {
        double next(SplittableRandom rng);
    }

    private static INDArray fill(SplittableRandom rng, DataType dtype, long[] shape, Draw draw, String what) {
        requireFloating(what, dtype);
        long n = Shapes.length(shape);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": shape " + Shapes.str(shape) + " has more than 2^31 elements");
        }
        if (dtype == DataType.DOUBLE) {
            double[] v = new double[(int) n];
            for (int i = 0; i < v.length; i++) v[i] = draw.next(rng);
            return Nd4j.create(v, shape, DataType.DOUBLE);
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) draw.next(rng);
        INDArray f = Nd4j.create(v, shape, DataType.FLOAT);
        if (dtype == DataType.FLOAT) return f;
        INDArray out = f.castTo(dtype);
        Memory.release(f);
        return out;
    }
}
