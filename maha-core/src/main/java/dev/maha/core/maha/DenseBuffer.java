package dev.maha.core.maha;

import dev.maha.autograd.DirectElements;
import dev.maha.autograd.Memory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major element access to a FLOAT or DOUBLE array for the aggregation ops' Java loops, without
 * copying it to the heap (through {@link DirectElements}): rows are read into (and written from) small {@code double[]} scratch
 * buffers, so the arithmetic runs in double whatever the storage type. An input that is not dense
 * row-major from offset 0 (a permuted or sliced view) is copied once and the copy freed by
 * {@link #release()}.
 */
final class DenseBuffer {
    private final INDArray array;
    private final boolean copied;
    /** The element access (safe to share between threads). */
    private final DirectElements elements;

    private DenseBuffer(INDArray array, boolean copied) {
        if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("scale aggregation: arrays must be FLOAT or DOUBLE, got " + array.dataType());
        }
        this.array = array;
        this.copied = copied;
        this.elements = DirectElements.of(array);
    }

    /** Reads {@code a}, copying it only when it is not dense row-major from offset 0. */
    static DenseBuffer read(INDArray a) {
        return Memory.isRowMajorDense(a) ? new DenseBuffer(a, false) : new DenseBuffer(a.dup('c'), true);
    }

    /** A new row-major array to be filled completely (or zeroed when {@code zero}). */
    static DenseBuffer create(DataType type, boolean zero, long... shape) {
        INDArray a = zero ? Nd4j.zeros(type, shape) : Nd4j.createUninitialized(type, shape, 'c');
        return new DenseBuffer(a, false);
    }

    /** The underlying array (the caller owns it for {@link #create}d buffers). */
    INDArray array() {
        return array;
    }

    /** {@code dst[dstOff + j] = this[off + j]} for {@code j < len}. */
    void read(int off, double[] dst, int dstOff, int len) {
        elements.read(off, 1, dst, dstOff, len);
    }

    /** {@code this[off + j] = src[srcOff + j]} for {@code j < len}. */
    void write(int off, double[] src, int srcOff, int len) {
        elements.write(off, 1, src, srcOff, len);
    }

    /** Every element as a heap {@code double[]} (for the small parameter arrays). */
    double[] toDoubles() {
        double[] out = new double[Math.toIntExact(array.length())];
        read(0, out, 0, out.length);
        return out;
    }

    /** Frees the copy made by {@link #read}, if any. */
    void release() {
        if (copied) Memory.release(array);
    }
}
