package dev.maha.optim.solvers;

import dev.maha.autograd.Tensor;
import java.util.Arrays;
import java.util.List;

/** Shape checks shared by the two reference aggregators: L ≥ 1 tensors {@code [B, n, d]} of one shape. */
final class ReferenceInputs {
    private ReferenceInputs() {
    }

    /** Returns L after checking the list; errors name the aggregator. */
    static int check(String name, List<Tensor> upsampled) {
        if (upsampled == null || upsampled.isEmpty()) {
            throw new IllegalArgumentException(name + ": upsampled must hold at least one scale output [B, n, d]");
        }
        long[] shape = upsampled.get(0).shape();
        if (shape.length != 3) {
            throw new IllegalArgumentException(name + ": upsampled.0 must have shape [B, n, d], got " + Arrays.toString(shape));
        }
        for (int l = 1; l < upsampled.size(); l++) {
            long[] s = upsampled.get(l).shape();
            if (!Arrays.equals(s, shape)) {
                throw new IllegalArgumentException(name + ": upsampled." + l + " has shape " + Arrays.toString(s)
                        + ", but upsampled.0 has " + Arrays.toString(shape) + "; all scales must share one shape");
            }
        }
        return upsampled.size();
    }
}
