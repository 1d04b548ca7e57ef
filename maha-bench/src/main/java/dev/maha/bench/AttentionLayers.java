package dev.maha.bench;

import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig;
import dev.maha.core.maha.MultiscaleAttention;
import dev.maha.core.model.MultiHeadSelfAttention;
import dev.maha.core.nn.Module;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The attention layers the benchmarks and the report compare, each a module mapping [B, n, d] → [B, n, d],
 * all causal, float32, without dropout:
 * <ul>
 *   <li>{@code baseline}: dense multi-head self-attention (Q, K, V, O projections, causal attention over all
 *       n positions);</li>
 *   <li>{@code maha-efficient-<mean|convex|nash>}: MAHA's efficient configuration (spec §2:
 *       {@code MahaConfig.efficient(d, h, 4, 2, 128)}: depthwise decomposition, windows of 128 at scales 0..2,
 *       full attention at scale 3, output projection);</li>
 *   <li>{@code maha-reference-<mean|convex|nash>}: the reference-like configuration, the paper's layer as its
 *       public code builds it ({@code MahaConfig.reference(d, h, 4, 2)}: full convolutions k = 3, stride 2,
 *       full attention at every scale including the full-length scale 0, no output projection), made causal
 *       like the baseline and aggregated by the named per-head mode.</li>
 * </ul>
 */
public final class AttentionLayers {
    /** A layer under test: its module (for zeroing parameter gradients) and its forward function. */
    public record Layer(Module module, Function<Tensor, Tensor> forward) {
    }

    /** Scales L of both MAHA configurations. */
    public static final int SCALES = 4;
    /** Ratio r between scales. */
    public static final int RATIO = 2;
    /** Window w at scales 0..L−2 of the efficient configuration. */
    public static final int WINDOW = 128;

    /** Every layer name, baseline first. */
    public static final List<String> NAMES = List.of("baseline",
            "maha-efficient-mean", "maha-efficient-convex", "maha-efficient-nash",
            "maha-reference-mean", "maha-reference-convex", "maha-reference-nash");

    private AttentionLayers() {
    }

    /** A layer by name (see {@link #NAMES}), parameters seeded deterministically. */
    public static Layer byName(String name, int width, int heads) {
        MahaConfig config = config(name, width, heads);
        return config == null ? baseline(width, heads) : maha(config);
    }

    /**
     * The MAHA configuration of a layer name, or null for {@code baseline}.
     *
     * @throws IllegalArgumentException naming the layer when it is not one of {@link #NAMES}
     */
    public static MahaConfig config(String name, int width, int heads) {
        if ("baseline".equals(name)) return null;
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown layer '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        }
        String[] parts = name.split("-");
        MahaConfig.Aggregation aggregation = MahaConfig.Aggregation.valueOf(parts[2].toUpperCase(Locale.ROOT));
        return parts[1].equals("efficient") ? efficient(width, heads, aggregation) : referenceLike(width, heads, aggregation);
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

    /** The reference code's layer (full convolutions, full attention at every scale, no W^O), causal. */
    static MahaConfig referenceLike(int width, int heads, MahaConfig.Aggregation aggregation) {
        return MahaConfig.reference(width, heads, SCALES, RATIO).toBuilder()
                .causal(true).dropout(0).aggregation(aggregation).build();
    }

    /** MAHA's layer (decomposition, per-scale attention, upsampling, aggregation, output projection). */
    static Layer maha(MahaConfig config) {
        MultiscaleAttention layer = new MultiscaleAttention(config);
        return new Layer(layer, x -> layer.forward(x, null).output());
    }
}
