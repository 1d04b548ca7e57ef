package dev.maha.autograd;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to an ND4J array's off-heap buffer from Java, for the few kernels where a plain loop
 * beats a chain of ND4J ops (each ND4J op costs 10-40 µs, and its strided element-wise kernels are
 * slow). The buffer is read and written in place through an NIO view, so no Java-heap copy is made
 * (a heap copy of a large array would grow the JVM's resident memory).
 *
 * <p>An instance may be shared by the threads of a parallel loop: it keeps no mutable state (the float
 * conversion scratch is per thread and reused, so bulk reads and writes make no garbage).
 *
 * <p>Element {@code (i0, i1, …)} of the array lives at index {@code Σ i_a · stride(a)}: the array must be
 * dense from its buffer's start in some axis order ({@link Memory#isDenseFromStart}); {@link #of}
 * checks that.
 */
public abstract class DirectElements {
    private final long[] strides;

    private DirectElements(INDArray a) {
        this.strides = a.stride().clone();
    }

    /**
     * Access to {@code a}'s elements; {@code a} must be FLOAT or DOUBLE and dense from its buffer's
     * start (callers copy with {@link Memory#denseFromStart} first).
     */
    public static DirectElements of(INDArray a) {
        if (!Memory.isDenseFromStart(a)) {
            throw new IllegalStateException("DirectElements needs an array dense from its buffer's start, got " + a.shapeInfoToString());
        }
        if (a.length() > Integer.MAX_VALUE) {
            throw new IllegalStateException("DirectElements: array of " + a.length() + " elements is beyond NIO's int indexing");
        }
        if (a.dataType() == DataType.FLOAT) return new Floats(a);
        if (a.dataType() == DataType.DOUBLE) return new Doubles(a);
        throw new IllegalStateException("DirectElements supports FLOAT and DOUBLE, got " + a.dataType());
    }

    /** The array's strides, in elements (a copy). */
    public final long[] strides() {
        return strides.clone();
    }

    /** Reads {@code count} elements at buffer indices {@code base, base + step, …} into {@code dst[dstOff..dstOff+count)}. */
    public abstract void read(long base, long step, double[] dst, int dstOff, int count);

    /** Writes {@code src[srcOff..srcOff+count)} to the elements at buffer indices {@code base, base + step, …}. */
    public abstract void write(long base, long step, double[] src, int srcOff, int count);

    private static final class Floats extends DirectElements {
        private final FloatBuffer buf;

        Floats(INDArray a) {
            super(a);
            this.buf = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        /** Conversion scratch for contiguous runs, one per thread. */
        private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

        @Override
        public void read(long base, long step, double[] dst, int dstOff, int count) {
            if (step == 1) {
                float[] tmp = scratch(count);
                buf.get((int) base, tmp, 0, count);                    // one bulk copy
                for (int c = 0; c < count; c++) dst[dstOff + c] = tmp[c];
                return;
            }
            for (int c = 0; c < count; c++) dst[dstOff + c] = buf.get((int) (base + c * step));
        }

        @Override
        public void write(long base, long step, double[] src, int srcOff, int count) {
            if (step == 1) {
                float[] tmp = scratch(count);
                for (int c = 0; c < count; c++) tmp[c] = (float) src[srcOff + c];
                buf.put((int) base, tmp, 0, count);
                return;
            }
            for (int c = 0; c < count; c++) buf.put((int) (base + c * step), (float) src[srcOff + c]);
        }

        private static float[] scratch(int count) {
            float[][] mine = SCRATCH.get();
            if (mine[0].length < count) mine[0] = new float[count];
            return mine[0];
        }
    }

    private static final class Doubles extends DirectElements {
        private final DoubleBuffer buf;

        Doubles(INDArray a) {
            super(a);
            this.buf = a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }

        @Override
        public void read(long base, long step, double[] dst, int dstOff, int count) {
            if (step == 1) {
                buf.get((int) base, dst, dstOff, count);
                return;
            }
            for (int c = 0; c < count; c++) dst[dstOff + c] = buf.get((int) (base + c * step));
        }

        @Override
        public void write(long base, long step, double[] src, int srcOff, int count) {
            if (step == 1) {
                buf.put((int) base, src, srcOff, count);
                return;
            }
            for (int c = 0; c < count; c++) buf.put((int) (base + c * step), src[srcOff + c]);
        }
    }
}
