package dev.maha.optim;

import dev.maha.autograd.Memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/** In-place array updates whose one temporary is freed at once (never left to the collector). */
final class InPlace {
    private InPlace() {
    }

    /** {@code y ← y + a·x}; returns {@code y}. */
    static INDArray addScaled(INDArray y, INDArray x, double a) {
        if (a == 1) return y.addi(x);
        INDArray t = x.mul(a);
        y.addi(t);
        Memory.release(t);
        return y;
    }

    /** Frees {@code a} unless it is {@code borrowed} (an array the caller does not own). */
    static void releaseUnless(INDArray a, INDArray borrowed) {
        if (a != borrowed) Memory.release(a);
    }
}
