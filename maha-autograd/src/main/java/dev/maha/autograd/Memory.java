package dev.maha.autograd;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Deterministic release of native buffers, and buffer-aliasing tests.
 *
 * <p>ND4J frees an array left to the garbage collector only late and at a high cost; the engine
 * closes what it owns instead. Views (reshape, permute, slices) share their base's buffer: they are
 * detected by buffer address, because ND4J reports some of them as non-views.
 */
public final class Memory {
    private Memory() {
    }

    /** Whether two arrays share one native buffer (one may be a view of the other). */
    public static boolean sharesBuffer(INDArray a, INDArray b) {
        if (a == null || b == null) return false;
        if (a == b) return true;
        if (a.isEmpty() || b.isEmpty()) return false;
        return root(a.data()).address() == root(b.data()).address();
    }

    /**
     * Frees the native buffer behind {@code a} now (also when {@code a} is a view of a buffer that
     * nothing else uses). Safe to call twice and on null. The caller must own the buffer.
     */
    public static void release(INDArray a) {
        if (a == null || a.isEmpty() || a.wasClosed()) return;
        DataBuffer root = root(a.data());
        if (root.wasClosed()) return;   // freed already, through another view of the same buffer
        if (a.closeable()) {
            a.close();
        } else if (root.closeable()) {
            root.close();
        }
    }

    /**
     * Whether {@code a} holds exactly its buffer's elements in row-major order from the first one, so
     * that its buffer can be read or reshaped directly. Judged by layout, not by {@code isView()}:
     * ND4J flags every reshape as a view, and copying a large GEMM output again because of that flag
     * cost more than the product itself (180 ms for a 256 MB score matrix).
     */
    public static boolean isRowMajorDense(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.length() == a.data().length()
                && java.util.Arrays.equals(a.stride(), org.nd4j.linalg.factory.Nd4j.getStrides(a.shape(), 'c'));
    }

    /**
     * Whether {@code a} is dense from its buffer's start in some order of its axes: offset 0, the buffer
     * holds exactly its elements, and its strides are those of a row-major array whose axes were
     * permuted (so a {@code permute} or {@code transpose} of a fresh row-major array qualifies). Such an
     * array's element {@code (i0, i1, …)} is at buffer index {@code Σ i_a · stride(a)}.
     */
    public static boolean isDenseFromStart(INDArray a) {
        if (a.isEmpty() || a.offset() != 0 || a.length() != a.data().length()) return false;
        long[] shape = a.shape();
        long[] stride = a.stride();
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Long.compare(stride[y], stride[x]));
        long expected = 1;
        for (int i = order.length - 1; i >= 0; i--) {
            int axis = order[i];
            if (shape[axis] != 1 && stride[axis] != expected) return false;
            expected *= shape[axis];
        }
        return true;
    }

    /** {@code a} itself when {@link #isDenseFromStart}, else a row-major copy. */
    public static INDArray denseFromStart(INDArray a) {
        return isDenseFromStart(a) ? a : a.dup('c');
    }

    /**
     * {@code a} itself when {@link #isRowMajorDense row-major dense}, else a row-major copy; the caller
     * frees the copy (test {@code result != a}).
     */
    public static INDArray rowMajor(INDArray a) {
        return isRowMajorDense(a) ? a : a.dup('c');
    }

    /**
     * The buffer that {@code a.offset()} counts from, for building other views of the same memory with
     * {@code Nd4j.create(buffer, shape, stride, offset, order)}. ND4J gives a view a buffer of its own that
     * starts at the view's first element, while {@code offset()} still counts from the original buffer.
     */
    public static DataBuffer rootBuffer(INDArray a) {
        return root(a.data());
    }

    private static DataBuffer root(DataBuffer b) {
        DataBuffer original = b.originalDataBuffer();
        return original != null ? original : b;
    }
}
