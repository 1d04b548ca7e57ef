package dev.maha.autograd;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shape arithmetic and argument checks shared by all ops. Every check throws an
 * {@link IllegalArgumentException} whose message starts with the op's name and shows the shapes.
 */
public final class Shapes {
    private Shapes() {
    }

    /** {@code [3, 4]} style rendering. */
    public static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /** NumPy broadcast of two shapes (trailing axes aligned), or an error naming the op. */
    public static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (axis " + i + " of the broadcast result: " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * The axes of {@code full} over which a gradient must be summed to return to {@code shape}
     * (the leading axes that broadcasting added, and the axes where {@code shape} has size 1).
     */
    public static int[] reducedAxes(long[] shape, long[] full) {
        int lead = full.length - shape.length;
        int count = 0;
        int[] axes = new int[full.length];
        for (int i = 0; i < full.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && full[i] != 1)) axes[count++] = i;
        }
        return Arrays.copyOf(axes, count);
    }

    /**
     * {@code x} broadcast to {@code shape} (NumPy rules, leading axes added as needed), as a new
     * materialized array; {@code x} itself when the shape already matches.
     */
    public static INDArray expand(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) return x;
        broadcast("expand", x.shape(), shape);
        INDArray lifted = x;
        if (x.rank() < shape.length) {
            long[] padded = new long[shape.length];
            Arrays.fill(padded, 1);
            System.arraycopy(x.shape(), 0, padded, shape.length - x.rank(), x.rank());
            lifted = x.reshape(padded);
        }
        // INDArray.broadcast() returns a buffer that close() cannot free (probed: a 1 MB leak per
        // call), so the broadcast is an in-place broadcasting add into fresh zeros instead.
        if (x.dataType() == DataType.BOOL) {
            // ND4J has no arithmetic on BOOL: expand a 0/1 float copy and compare it back.
            INDArray numeric = lifted.castTo(DataType.FLOAT);
            INDArray wide = Nd4j.zeros(DataType.FLOAT, shape).addi(numeric);
            INDArray out = wide.neq(0);
            Memory.release(numeric);
            Memory.release(wide);
            return out;
        }
        return Nd4j.zeros(x.dataType(), shape).addi(lifted);
    }

    /** Normalizes a possibly negative axis against {@code rank}, or an error naming the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Normalizes several axes; duplicates are an error. */
    public static int[] axes(String op, int[] axes, int rank) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(op, axes[i], rank);
            for (int j = 0; j < i; j++) {
                if (out[j] == out[i]) {
                    throw new IllegalArgumentException(op + ": axis " + axes[i] + " is given twice in " + Arrays.toString(axes));
                }
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Requires a floating-point array (FLOAT, DOUBLE, HALF, BFLOAT16). */
    public static void requireFloating(String op, String what, INDArray a) {
        if (!a.dataType().isFPType()) {
            throw new IllegalArgumentException(op + ": " + what + " must be floating point, got "
                    + a.dataType() + " " + str(a.shape()));
        }
    }

    /** Requires an integer array (indices, targets). */
    public static void requireInteger(String op, String what, INDArray a) {
        if (!a.dataType().isIntType()) {
            throw new IllegalArgumentException(op + ": " + what + " must be an integer array, got "
                    + a.dataType() + " " + str(a.shape()));
        }
    }

    /** The row-major index of flat position {@code flat} in {@code shape}. */
    public static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** Product of the dimensions. */
    public static long length(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

}
