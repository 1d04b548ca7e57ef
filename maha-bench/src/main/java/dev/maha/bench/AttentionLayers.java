package dev.maha.bench;

import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig;
import dev.maha.core.maha.MultiscaleAttention;
import dev.maha.core.model.MultiHeadSelfAttention;
import dev.maha.core.nn.Module;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The attention layers the benchmarks compare, each a module mapping [B, n, d] → [B, n, d]: the dense
 * multi-head self-attention baseline and MAHA's layer in its efficient configuration (spec §2), all
 * causal, float32.
 */
final class AttentionLayers {
    /** A layer under test: its module (for zeroing parameter gradients) and its forward function. */
    record Layer(Module module, Function<Tensor, Tensor> forward) {
    }

    /** Scales L of the efficient configuration. */
    static final int SCALES = 4;
    /** Ratio r between scales. */
    static final int RATIO = 2;
    /** Window w at scales 0..L−2. */
    static final int WINDOW = 128;

    private AttentionLayers() {
    }

    /** A layer by benchmark name: {@code baseline} or {@code maha-efficient-<mean|convex|nash>}. */
    static Layer byName(String name, int width, int heads) {
        return switch (name) {
            case "baseline" -> baseline(width, heads);
            case "maha-efficient-mean" -> maha(efficient(width, heads, MahaConfig.Aggregation.MEAN));
            case "maha-efficient-convex" -> maha(efficient(width, heads, MahaConfig.Aggregation.CONVEX));
            case "maha-efficient-nash" -> maha(efficient(width, heads, MahaConfig.Aggregation.NASH));
            default -> throw new IllegalArgumentException("unknown layer '" + name
                    + "' (baseline, maha-efficient-mean, maha-efficient-convex, maha-efficient-nash)");
        };
    }

    /** The dense baseline: Q, K, V, O projections and causal attention over all n positions. */
    static Layer baseline(int width, int heads) {
        MultiHeadSelfAttention mhsa = new MultiHeadSelfAttention(width, heads, true, 1L, DataType.FLOAT);
        return new Layer(mhsa, x -> mhsa.forward(x, null));
    }

    /** Spec §2's efficient configuration, causal, without dropout. */
    static MahaConfig efficient(int width, int heads, MahaConfig.Aggregation aggregation) {
        return MahaConfig.efficient(width, heads, SCALES, RATIO, WINDOW).toBuilder()
                .causal(true).dropout(0).aggregation(aggregation).build();
    }

    /** MAHA's layer (decomposition, per-scale attention, upsampling, aggregation, output projection). */
    static Layer maha(MahaConfig config) {
        MultiscaleAttention layer = new MultiscaleAttention(config);
        return new Layer(layer, x -> layer.forward(x, null).output());
    }
}
