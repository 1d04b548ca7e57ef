package dev.maha.optim.solvers;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of small solver instances, {@code [..., L]}, as one row-major {@code double[]} that tight
 * Java loops run over (one ND4J op per instance would cost ~10 µs each). Reading validates the
 * values once, in one place: NaN and ±Inf are rejected with a message naming the solver and field.
 */
public final class Instances {
    private Instances() {
    }

    /** The values of {@code a} in row-major order as doubles, checked finite. */
    public static double[] read(String solver, String field, INDArray a) {
        double[] v = toDoubles(a);
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(solver + ": " + field + " holds " + v[i] + " at flat index " + i
                        + " of shape " + Arrays.toString(a.shape()) + "; inputs must be finite");
            }
        }
        return v;
    }

    /**
     * An availability mask of {@code shape} as booleans (nonzero or true = available), or all true
     * when {@code mask} is null. Shapes must match exactly.
     */
    public static boolean[] mask(String solver, INDArray mask, long[] shape) {
        int n = (int) Shapes.length(shape);
        boolean[] out = new boolean[n];
        if (mask == null) {
            Arrays.fill(out, true);
            return out;
        }
        if (!Arrays.equals(mask.shape(), shape)) {
            throw new IllegalArgumentException(solver + ": mask shape " + Arrays.toString(mask.shape())
                    + " must equal the input shape " + Arrays.toString(shape));
        }
        double[] m = toDoubles(mask);
        for (int i = 0; i < n; i++) out[i] = m[i] != 0;
        return out;
    }

    /** A new array of {@code shape} and {@code dtype} holding {@code values} (row-major). */
    public static INDArray write(double[] values, long[] shape, DataType dtype) {
        INDArray d = Nd4j.create(values, shape, DataType.DOUBLE);
        if (dtype == DataType.DOUBLE) return d;
        INDArray out = d.castTo(dtype);
        d.close();
        return out;
    }

    /** Row-major doubles of any array (a copy; the temporaries are freed at once). */
    public static double[] toDoubles(INDArray a) {
        INDArray c = a.dup('c');
        if (c.dataType() == DataType.DOUBLE) {
            double[] v = c.data().asDouble();
            Memory.release(c);
            return v;
        }
        INDArray d = c.castTo(DataType.DOUBLE);
        double[] v = d.data().asDouble();
        Memory.release(c);
        Memory.release(d);
        return v;
    }

    /** Size of the last axis (the number of scales L), or an error naming the solver. */
    public static int lastDim(String solver, String field, INDArray a) {
        if (a.rank() < 1 || a.size(-1) < 1) {
            throw new IllegalArgumentException(solver + ": " + field + " must have shape [..., L] with L >= 1, got "
                    + Arrays.toString(a.shape()));
        }
        return (int) a.size(-1);
    }
}
