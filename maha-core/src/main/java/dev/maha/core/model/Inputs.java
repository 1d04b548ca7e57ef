package dev.maha.core.model;

import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/** The argument checks the model-level modules share; every message starts with the module's name. */
final class Inputs {
    private Inputs() {
    }

    /** x must be a floating-point [B, n, width]. */
    static void checkSequence(String who, Tensor x, int width) {
        if (x == null) throw new IllegalArgumentException(who + ": x is null");
        if (x.rank() != 3 || x.size(2) != width || !x.dtype().isFPType()) {
            throw new IllegalArgumentException(who + ": x has shape " + Shapes.str(x.shape()) + " (" + x.dtype()
                    + "), expected a floating-point [B, n, " + width + "]");
        }
    }

    /** keyValid must be null or BOOL [B, n] for the given B and n. */
    static void checkKeyValid(String who, Tensor keyValid, long batch, long n) {
        if (keyValid == null) return;
        if (keyValid.dtype() != DataType.BOOL || keyValid.rank() != 2 || keyValid.size(0) != batch
                || keyValid.size(1) != n) {
            throw new IllegalArgumentException(who + ": keyValid has shape " + Shapes.str(keyValid.shape()) + " ("
                    + keyValid.dtype() + "), expected BOOL [" + batch + ", " + n + "] (the input's [B, n])");
        }
    }
}
