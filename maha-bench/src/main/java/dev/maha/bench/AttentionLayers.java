package dev.maha.bench;

import dev.maha.autograd.Tensor;
import dev.maha.core.model.MultiHeadSelfAttention;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The attention layers the benchmarks compare, as functions [B, n, d] → [B, n, d] with their
 * parameters: the dense multi-head self-attention baseline and MAHA's layer.
 */
final class AttentionLayers {
    private AttentionLayers() {
    }

    /** A layer by benchmark name: {@code baseline} or {@code maha-efficient}. */
    static UnaryOperator<Tensor> byName(String name, int width, int heads) {
        return switch (name) {
            case "baseline" -> baseline(width, heads, true);
            default -> throw new IllegalArgumentException("unknown layer '" + name + "' (baseline, maha-efficient)");
        };
    }

    /** The dense baseline: Q, K, V, O projections and full (causal) attention over all n positions. */
    static UnaryOperator<Tensor> baseline(int width, int heads, boolean causal) {
        MultiHeadSelfAttention mhsa = new MultiHeadSelfAttention(width, heads, causal, 1L, DataType.FLOAT);
        return x -> mhsa.forward(x, null);
    }
}
