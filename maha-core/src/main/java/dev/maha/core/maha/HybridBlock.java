package dev.maha.core.maha;

import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.DilatedConv;
import dev.maha.core.model.SequenceBlock;
import dev.maha.core.nn.Conv1d;
import dev.maha.core.nn.Dropout;
import dev.maha.core.nn.Gelu;
import dev.maha.core.nn.Init;
import dev.maha.core.nn.LayerNorm;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import dev.maha.core.nn.Relu;
import dev.maha.core.nn.Sequential;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The hybrid dilated-convolution MAHA block of spec §6, {@code [B, n, d] → [B, n, d]}.
 *
 * <p>Local context: {@code C = Dropout(ReLU(DilatedConv1d(·)))}, kernel 3, dilation 2, along the sequence;
 * causal: left padding 4 (position i sees i−4, i−2, i); non-causal: padding 2 on both sides. A full Conv1d
 * d→d ({@link DilatedConv#FULL}, the reference) or a depthwise one ({@link DilatedConv#DEPTHWISE}).
 * {@code M(C)} is the {@link MultiscaleAttention} layer (with W^O when {@link MahaConfig#outputProjection()}),
 * {@code FFN = Linear(d, d_ff) → GELU → Dropout → Linear(d_ff, d) → Dropout}.
 * <ul>
 *   <li><b>Pre-LN</b> ({@link MahaConfig#preNorm()}, the default):
 *       {@code C = conv(LN₁(x))}, {@code x₁ = x + Dropout(M(C))}, {@code y = x₁ + FFN(LN₂(x₁))}.</li>
 *   <li><b>Post-LN</b> (the reference code): {@code C = conv(x)}, {@code h₁ = LN₁(x + Dropout(M(C)))} (the
 *       residual is the raw x), {@code y = LN₂(h₁ + FFN(h₁))}.</li>
 * </ul>
 * The block's auxiliary loss is the layer's ({@code λ·‖w‖₁} for REFERENCE_SOFTMAX, zero otherwise).
 *
 * <p><b>Padding.</b> With {@code keyValid}, the conv input is zeroed at padded positions (so, non-causal, a
 * real token next to the padding sees zeros, as at the true end of the sequence) and the layer masks the
 * rest; outputs at real positions do not depend on the content of padded positions.
 *
 * <p><b>Parameter names.</b> For {@link MahaConfig#reference} the state dict holds exactly the reference
 * code's names: {@code dilated_conv.0.{weight,bias}} (the Sequential conv, ReLU, Dropout),
 * {@code decomposition.downsamplers.{i}.{weight,bias}}, {@code aggregation.convex_logits} (REFERENCE_CONSENSUS
 * also {@code aggregation.utility_proj.{weight,bias}}, unused), {@code attention.q_projs.{l}.*},
 * {@code attention.k_projs.{l}.*}, {@code attention.shared_v_proj.*}, {@code norm1.*}, {@code norm2.*},
 * {@code ffn.0.*}, {@code ffn.3.*}. The decomposition and aggregation modules are registered at block level
 * before the attention layer, which shares them, so they are listed once under these names (the reference
 * code also registers the decomposition inside its attention module, under the same tensors). Parts the
 * reference lacks: {@code attention.gates.{l}.*} (gating), {@code attention.out_proj.*} (W^O),
 * {@code aggregation.utility_weight} / {@code utility_bias} (CONVEX, NASH), depthwise weights
 * ({@code dilated_conv.0.weight} [d, 1, 3], {@code decomposition.downsamplers.{i}.weight} [d, 1, k]);
 * with pooling there are no {@code decomposition} parameters.
 */
public final class HybridBlock extends Module implements SequenceBlock {
    /** Kernel of the dilated convolution. */
    public static final int CONV_KERNEL = 3;
    /** Dilation of the dilated convolution. */
    public static final int CONV_DILATION = 2;

    private final MahaConfig config;
    private final DataType dtype;
    private final Sequential dilatedConv;
    private final ScaleDecomposition decomposition;
    private final ScaleAggregation aggregation;
    private final MultiscaleAttention attention;
    private final Dropout dropout;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Sequential ffn;

    /**
     * What {@link #forwardDetailed} returns.
     *
     * @param output    {@code [B, n, d]}
     * @param aux       the auxiliary loss (rank 0)
     * @param attention the MAHA layer's output (with aggregation weights and certificate, for logging)
     */
    public record Detailed(Tensor output, Tensor aux, MultiscaleAttention.Output attention) {
    }

    /** A float32 block. */
    public HybridBlock(MahaConfig config) {
        this(config, DataType.FLOAT);
    }

    /**
     * @param config the configuration (width, heads, scales, …, preNorm, ffnWidth, dropout, seed)
     * @param dtype  floating-point type of the parameters (and of the inputs it accepts)
     */
    public HybridBlock(MahaConfig config, DataType dtype) {
        if (config == null) throw new IllegalArgumentException("HybridBlock: config is null");
        Init.requireFloating("HybridBlock", dtype);
        this.config = config;
        this.dtype = dtype;
        int d = config.width();
        double p = config.dropout();
        SplittableRandom rng = new SplittableRandom(config.seed());
        int pad = (CONV_KERNEL - 1) * CONV_DILATION;
        Conv1d conv = new Conv1d(d, d, CONV_KERNEL, 1, config.causal() ? pad : pad / 2, config.causal() ? 0 : pad / 2,
                CONV_DILATION, config.dilatedConv() == DilatedConv.FULL ? 1 : d, true, rng.nextLong(), dtype);
        this.dilatedConv = registerModule("dilated_conv", new Sequential(conv, new Relu(), new Dropout(p, rng.nextLong())));
        this.decomposition = registerModule("decomposition", new ScaleDecomposition(config, rng.nextLong(), dtype));
        this.aggregation = registerModule("aggregation", new ScaleAggregation(config, rng.nextLong(), dtype));
        this.attention = registerModule("attention",
                new MultiscaleAttention(config, decomposition, aggregation, rng.nextLong(), dtype));
        this.dropout = registerModule("dropout", new Dropout(p, rng.nextLong()));
        this.norm1 = registerModule("norm1", new LayerNorm(d, 1e-5, dtype));
        this.norm2 = registerModule("norm2", new LayerNorm(d, 1e-5, dtype));
        int f = config.ffnWidth();
        this.ffn = registerModule("ffn", new Sequential(new Linear(d, f, true, rng.nextLong(), dtype), new Gelu(),
                new Dropout(p, rng.nextLong()), new Linear(f, d, true, rng.nextLong(), dtype), new Dropout(p, rng.nextLong())));
    }

    /**
     * @param x        {@code [B, n, d]} (n ≥ 1), of the block's data type
     * @param keyValid BOOL {@code [B, n]} (true = real token), or null
     * @return output {@code [B, n, d]} and the auxiliary loss
     */
    @Override
    public BlockOutput forward(Tensor x, Tensor keyValid) {
        Detailed r = forwardDetailed(x, keyValid, null);
        return new BlockOutput(r.output(), r.aux());
    }

    /**
     * The forward pass with the attention layer's full output, recording intermediates into {@code trace}
     * when it is not null: {@code x_conv} (C), {@code h1} (the output of the first residual stage: LN₁(x + A)
     * post-LN, x + A pre-LN) and the layer's entries ({@link MultiscaleAttention#forward(Tensor, Tensor, Map)}).
     */
    public Detailed forwardDetailed(Tensor x, Tensor keyValid, Map<String, Tensor> trace) {
        attention.checkInput("HybridBlock", "input x", x, keyValid);
        Tensor valid = keyValid == null ? null : attention.validityColumn(keyValid);
        Tensor h = config.preNorm() ? norm1.forward(x) : x;
        if (valid != null) h = h.mul(valid);
        Tensor c = dilatedConv.forward(h.transpose(1, 2)).transpose(1, 2);                    // [B, n, d]
        if (trace != null) trace.put("x_conv", c);
        MultiscaleAttention.Output a = attention.forward(c, keyValid, trace);
        Tensor y;
        if (config.preNorm()) {
            Tensor x1 = x.add(dropout.forward(a.output()));
            if (trace != null) trace.put("h1", x1);
            y = x1.add(ffn.forward(norm2.forward(x1)));
        } else {
            Tensor h1 = norm1.forward(x.add(dropout.forward(a.output())));
            if (trace != null) trace.put("h1", h1);
            y = norm2.forward(h1.add(ffn.forward(h1)));
        }
        return new Detailed(y, a.auxLoss(), a);
    }

    /** The configuration. */
    public MahaConfig config() {
        return config;
    }

    /** The parameters' data type. */
    public DataType dtype() {
        return dtype;
    }

    /** The MAHA layer. */
    public MultiscaleAttention attention() {
        return attention;
    }

    /** The dilated convolution (entry 0 of {@code dilated_conv}). */
    public Conv1d dilatedConv() {
        return (Conv1d) dilatedConv.get(0);
    }

    /** LN₁ (before the conv pre-LN; after the attention residual post-LN). */
    public LayerNorm norm1() {
        return norm1;
    }

    /** LN₂ (before the FFN pre-LN; after the FFN residual post-LN). */
    public LayerNorm norm2() {
        return norm2;
    }

    /** The feed-forward network (Linear, GELU, Dropout, Linear, Dropout). */
    public Sequential ffn() {
        return ffn;
    }

    @Override
    protected String label() {
        return "HybridBlock(d = " + config.width() + ", h = " + config.heads() + ", L = " + config.scales() + ", r = "
                + config.ratio() + ", " + config.aggregation() + (config.causal() ? ", causal" : "")
                + (config.preNorm() ? ", pre-LN" : ", post-LN") + ")";
    }
}
