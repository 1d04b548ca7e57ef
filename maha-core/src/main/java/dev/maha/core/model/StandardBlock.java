package dev.maha.core.model;

import dev.maha.autograd.Tensor;
import dev.maha.core.nn.Dropout;
import dev.maha.core.nn.Gelu;
import dev.maha.core.nn.LayerNorm;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import dev.maha.core.nn.Sequential;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The dense baseline block: a pre-LN transformer block around {@link MultiHeadSelfAttention},
 * x [B, n, d] → [B, n, d],
 * <pre>
 *   x ← x + Dropout(MHSA(LN₁(x)))
 *   x ← x + FFN(LN₂(x)),   FFN = Linear(d, d_ff) → GELU → Dropout → Linear(d_ff, d) → Dropout
 * </pre>
 * The FFN is laid out like the MAHA block's (spec §6 and the reference code), so both blocks name
 * their FFN weights {@code ffn.0.*} and {@code ffn.3.*}. Its auxiliary loss is always 0.
 *
 * <p>Parameters: {@code norm1.*} [d], {@code attn.{q,k,v,o}.*}, {@code norm2.*} [d],
 * {@code ffn.0.weight} [d_ff, d], {@code ffn.0.bias} [d_ff], {@code ffn.3.weight} [d, d_ff],
 * {@code ffn.3.bias} [d]. Every seed is drawn from {@code SplittableRandom(seed)}.
 */
public final class StandardBlock extends Module implements SequenceBlock {
    private final int width;
    private final DataType dtype;
    private final LayerNorm norm1;
    private final MultiHeadSelfAttention attn;
    private final Dropout drop;
    private final LayerNorm norm2;
    private final Sequential ffn;

    /** Full attention, d_ff = 4d. */
    public StandardBlock(int width, int heads, boolean causal, double dropout, long seed, DataType dtype) {
        this(width, heads, 4 * width, causal, null, dropout, seed, dtype);
    }

    /**
     * @param width    model width d ≥ 1
     * @param heads    attention heads h ≥ 1, dividing d
     * @param ffnWidth hidden width d_ff ≥ 1 of the FFN
     * @param causal   causal attention
     * @param window   attention window w ≥ 1, or null for full attention
     * @param dropout  drop probability in [0, 1) of the attention output and in the FFN
     * @param seed     seed of the initialisation and of the dropout masks
     * @param dtype    floating-point type of the parameters
     */
    public StandardBlock(int width, int heads, int ffnWidth, boolean causal, Integer window, double dropout, long seed,
                         DataType dtype) {
        if (width < 1) throw new IllegalArgumentException("StandardBlock: width must be >= 1, got " + width);
        if (ffnWidth < 1) throw new IllegalArgumentException("StandardBlock: ffnWidth must be >= 1, got " + ffnWidth);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("StandardBlock: dropout must be in [0, 1), got " + dropout);
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        this.width = width;
        this.dtype = dtype;
        this.norm1 = registerModule("norm1", new LayerNorm(width, 1e-5, dtype));
        this.attn = registerModule("attn", new MultiHeadSelfAttention(width, heads, causal, window, seeds.nextLong(), dtype));
        this.drop = registerModule("drop", new Dropout(dropout, seeds.nextLong()));
        this.norm2 = registerModule("norm2", new LayerNorm(width, 1e-5, dtype));
        this.ffn = registerModule("ffn", new Sequential(
                new Linear(width, ffnWidth, true, seeds.nextLong(), dtype),
                new Gelu(),
                new Dropout(dropout, seeds.nextLong()),
                new Linear(ffnWidth, width, true, seeds.nextLong(), dtype),
                new Dropout(dropout, seeds.nextLong())));
    }

    /**
     * @param x        [B, n, d]
     * @param keyValid BOOL [B, n] or null; padded keys are never attended to
     * @return the output [B, n, d] and an auxiliary loss of 0 (rank 0, the parameters' type)
     */
    @Override
    public BlockOutput forward(Tensor x, Tensor keyValid) {
        Inputs.checkSequence(label(), x, width);
        Inputs.checkKeyValid(label(), keyValid, x.size(0), x.size(1));
        Tensor h = x.add(drop.forward(attn.forward(norm1.forward(x), keyValid)));
        Tensor y = h.add(ffn.forward(norm2.forward(h)));
        return new BlockOutput(y, Tensor.scalar(0.0, dtype));
    }

    /** The attention layer. */
    public MultiHeadSelfAttention attention() {
        return attn;
    }

    /** Model width d. */
    public int width() {
        return width;
    }

    @Override
    protected String label() {
        return "StandardBlock(d=" + width + ")";
    }
}
