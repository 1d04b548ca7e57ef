package dev.maha.autograd.ops;

import dev.maha.autograd.Memory;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy-broadcasting element-wise arithmetic that works around an ND4J 1.0.0-M2.1 bug: its pairwise
 * ops fail for some operands of different rank (for example {@code [3,1] · [4]} throws "Expected vs
 * provided shapes mismatch", while {@code [3,1] · [1,4]} works). Both operands are first lifted to a
 * common rank with leading axes of size 1.
 */
final class Pairwise {
    private Pairwise() {
    }

    /** {@code a + b}, a fresh array of the broadcast shape. */
    static INDArray add(INDArray a, INDArray b) {
        return apply('+', a, b);
    }

    /** {@code a − b}, a fresh array of the broadcast shape. */
    static INDArray sub(INDArray a, INDArray b) {
        return apply('-', a, b);
    }

    /** {@code a · b}, a fresh array of the broadcast shape. */
    static INDArray mul(INDArray a, INDArray b) {
        return apply('*', a, b);
    }

    /** {@code a / b}, a fresh array of the broadcast shape. */
    static INDArray div(INDArray a, INDArray b) {
        return apply('/', a, b);
    }

    /** {@code target ·= b} in place; {@code target} must already have the broadcast shape. Returns target. */
    static INDArray muli(INDArray target, INDArray b) {
        INDArray lb = lift(b, target.rank());
        target.muli(lb);
        releaseLifted(lb, b);
        return target;
    }

    /** {@code target /= b} in place; {@code target} must already have the broadcast shape. Returns target. */
    static INDArray divi(INDArray target, INDArray b) {
        INDArray lb = lift(b, target.rank());
        target.divi(lb);
        releaseLifted(lb, b);
        return target;
    }

    private static INDArray apply(char op, INDArray a, INDArray b) {
        int rank = Math.max(a.rank(), b.rank());
        INDArray la = lift(a, rank);
        INDArray lb = lift(b, rank);
        INDArray r;
        switch (op) {
            case '+': r = la.add(lb); break;
            case '-': r = la.sub(lb); break;
            case '*': r = la.mul(lb); break;
            default: r = la.div(lb); break;
        }
        releaseLifted(la, a);
        releaseLifted(lb, b);
        return r;
    }

    /** {@code x} with leading axes of size 1 up to {@code rank} (a view, or a copy for some strided views). */
    private static INDArray lift(INDArray x, int rank) {
        if (x.rank() >= rank) return x;
        long[] padded = new long[rank];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape(), 0, padded, rank - x.rank(), x.rank());
        return x.reshape(padded);
    }

    private static void releaseLifted(INDArray lifted, INDArray original) {
        if (lifted != original && !Memory.sharesBuffer(lifted, original)) Memory.release(lifted);
    }
}
