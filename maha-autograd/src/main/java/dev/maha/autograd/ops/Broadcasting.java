package dev.maha.autograd.ops;

import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Returning a broadcast gradient to an input's shape: the sum over the axes that broadcasting added. */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * Sums {@code g} (of the broadcast shape) down to {@code shape}. Returns {@code g} itself when no
     * axis was broadcast (the engine copies an aliased gradient when it must).
     */
    static INDArray reduceTo(INDArray g, long[] shape) {
        int[] axes = Shapes.reducedAxes(shape, g.shape());
        if (axes.length == 0) return g.rank() == shape.length ? g : g.reshape(shape);
        INDArray summed = g.sum(true, axes);
        if (summed.rank() == shape.length) return summed;
        INDArray reshaped = summed.reshape('c', shape);
        return reshaped;
    }
}
