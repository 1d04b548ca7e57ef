package dev.maha.autograd.ops;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Sliding windows along the last axis of {@code [B, C, L]} arrays, shared by the 1-D convolution and
 * pooling ops: padding, the strided "tap" views (one per kernel position) and the output length.
 * Every helper works on whole arrays (one ND4J op per tap, never per element).
 */
final class Windows1d {
    private Windows1d() {
    }

    /**
     * {@code L_out = floor((L + padL + padR − dilation·(K−1) − 1) / stride) + 1}, or an error naming the
     * op and {@code what} (the shapes and settings) when it is below 1.
     */
    static long outLength(String op, String what, long length, long padLeft, long padRight, long kernel,
                          long stride, long dilation) {
        long span = length + padLeft + padRight - dilation * (kernel - 1) - 1;
        long out = span < 0 ? 0 : span / stride + 1;
        if (out < 1) {
            throw new IllegalArgumentException(op + ": the output length would be " + out + " < 1 for " + what
                    + " (padded length " + (length + padLeft + padRight) + " is shorter than the receptive field "
                    + (dilation * (kernel - 1) + 1) + ")");
        }
        return out;
    }

    /**
     * {@code x} [B, C, L] padded along the last axis with {@code fill}: a new row-major array
     * [B, C, padLeft + L + padRight], or {@code x} itself when both paddings are 0.
     */
    static INDArray pad(INDArray x, long padLeft, long padRight, double fill) {
        if (padLeft == 0 && padRight == 0) return x;
        long len = x.size(2);
        long[] shape = {x.size(0), x.size(1), padLeft + len + padRight};
        INDArray xp = fill == 0 ? Nd4j.zeros(x.dataType(), shape) : Nd4j.valueArrayOf(shape, fill, x.dataType());
        xp.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(padLeft, padLeft + len)).assign(x);
        return xp;
    }

    /**
     * The view {@code xp[:, :, k·dilation + t·stride]} for {@code t = 0..outLength−1}: shape
     * [B, C, outLength], sharing {@code xp}'s buffer (writes through it land in {@code xp}).
     */
    static INDArray tap(INDArray xp, long k, long dilation, long stride, long outLength) {
        return xp.get(NDArrayIndex.all(), NDArrayIndex.all(), strided(k * dilation, stride, outLength));
    }

    /**
     * The index of {@code count ≥ 1} positions {@code first, first + step, ...}. ND4J 1.0.0-M2.1 mishandles
     * a strided interval that spans a single element ({@code interval(b, s, b + 1)} with {@code s > 1}):
     * it fails near the end of the axis and elsewhere selects two elements. One element is therefore
     * indexed by a plain interval; two or more use the strided one (checked exhaustively on axes up to 40).
     */
    static INDArrayIndex strided(long first, long step, long count) {
        if (count == 1 || step == 1) return NDArrayIndex.interval(first, first + step * (count - 1) + 1);
        return NDArrayIndex.interval(first, step, first + step * (count - 1) + 1);
    }

    /**
     * The gradient of the unpadded input from the gradient of the padded one: {@code dxp} itself
     * when there is no padding, else a row-major copy of its centre ({@code dxp} is then freed).
     */
    static INDArray unpad(INDArray dxp, long padLeft, long length) {
        if (padLeft == 0 && dxp.size(2) == length) return dxp;
        INDArray centre = dxp.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(padLeft, padLeft + length))
                .dup('c');
        Memory.release(dxp);
        return centre;
    }

    /** Validates a convolution's settings once, for every convolution op. */
    static void checkSettings(String op, int stride, int padLeft, int padRight, int dilation) {
        if (stride < 1 || dilation < 1 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException(op + ": need stride >= 1, dilation >= 1 and paddings >= 0, got stride "
                    + stride + ", padding (" + padLeft + ", " + padRight + "), dilation " + dilation);
        }
    }

    /** Requires {@code [B, C, L]} input. */
    static void requireBcl(String op, INDArray x) {
        Shapes.requireFloating(op, "input", x);
        if (x.rank() != 3) {
            throw new IllegalArgumentException(op + ": input must be [B, C, L] (rank 3), got shape " + Shapes.str(x.shape()));
        }
    }

}
