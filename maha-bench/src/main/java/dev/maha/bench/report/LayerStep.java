package dev.maha.bench.report;

import dev.maha.autograd.FlopCounter;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.bench.AttentionLayers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One attention layer with its input {@code x [B, n, d]} (requiring a gradient) and an output cotangent,
 * ready to run steps: a forward pass, or a forward and backward pass. Every step runs in a memory scope
 * that frees everything it made, and leaves no gradient behind.
 */
public final class LayerStep implements AutoCloseable {
    private final AttentionLayers.Layer layer;
    private final Tensor x;
    private final INDArray cotangent;

    /**
     * @param name  a layer of {@link AttentionLayers#NAMES}
     * @param batch B ≥ 1
     * @param n     sequence length ≥ 1
     * @param width d
     * @param heads h
     */
    public LayerStep(String name, int batch, int n, int width, int heads) {
        this.layer = AttentionLayers.byName(name, width, heads);
        this.x = Tensor.randn(1, DataType.FLOAT, batch, n, width).requiresGrad(true);
        this.cotangent = Tensor.randn(2, DataType.FLOAT, batch, n, width).value();
    }

    /** A forward pass without recording for backward (inference). */
    public void forward() {
        try (NoGrad ng = NoGrad.enter(); Scope s = Scope.open()) {
            layer.forward().apply(x);
        }
    }

    /** A forward and a backward pass with the cotangent; parameter and input gradients are cleared after. */
    public void forwardBackward() {
        try (Scope s = Scope.open()) {
            layer.forward().apply(x).backward(cotangent);
            x.zeroGrad();
            layer.module().zeroGrad();
        }
    }

    /** {@link #forwardBackward()} under a {@link FlopCounter}: the FLOPs its ops report. */
    public LayerFlops countedFlops() {
        try (FlopCounter counter = FlopCounter.open()) {
            forwardBackward();
            LayerFlops.Builder parts = new LayerFlops.Builder();
            counter.byOp().forEach((op, fb) -> parts.add(op, fb[0], fb[1]));
            return parts.build();
        }
    }

    @Override
    public void close() {
        x.close();
        cotangent.close();
    }
}
