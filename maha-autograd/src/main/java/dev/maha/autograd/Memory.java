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

    private static DataBuffer root(DataBuffer b) {
        DataBuffer original = b.originalDataBuffer();
        return original != null ? original : b;
    }
}
