package dev.maha.core.model;

import dev.maha.autograd.Tensor;
import dev.maha.core.attention.ScaledDotProductAttention;
import dev.maha.core.nn.Init;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Standard multi-head self-attention, the dense baseline of MAHA at the same width:
 * x [B, n, d] → [B, n, d],
 * <pre>
 *   Q = x W_Qᵀ + b_Q,  K = x W_Kᵀ + b_K,  V = x W_Vᵀ + b_V           [B, n, d] each
 *   split into h heads of d_h = d/h (head i takes columns [i·d_h, (i+1)·d_h))   [B, h, n, d_h]
 *   O_head = softmax(Q Kᵀ / √d_h + M) V                                    (fused, {@link ScaledDotProductAttention})
 *   y = merge(O_head) W_Oᵀ + b_O                                            [B, n, d]
 * </pre>
 * The mask M hides future keys when causal, keys outside the window when a window is set (blockwise,
 * see {@code docs/attention.md}), and padded keys when a {@code keyValid} mask is given.
 *
 * <p>Parameters: {@code q}, {@code k}, {@code v}, {@code o}, each a {@link Linear} d → d with bias
 * ({@code q.weight} [d, d], {@code q.bias} [d], ...), initialised as PyTorch's {@code nn.Linear} from
 * seeds drawn in that order from {@code SplittableRandom(seed)}.
 */
public final class MultiHeadSelfAttention extends Module {
    private final int width;
    private final int heads;
    private final boolean causal;
    private final Integer window;
    private final ScaledDotProductAttention.Options options;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;

    /**
     * Full attention (no window).
     *
     * @see #MultiHeadSelfAttention(int, int, boolean, Integer, long, DataType)
     */
    public MultiHeadSelfAttention(int width, int heads, boolean causal, long seed, DataType dtype) {
        this(width, heads, causal, null, seed, dtype);
    }

    /**
     * @param width  model width d ≥ 1
     * @param heads  number of heads h ≥ 1, dividing d
     * @param causal whether query j sees only keys j' ≤ j
     * @param window attention window w ≥ 1 (causal: the query and the w − 1 keys before it;
     *               non-causal: |j − j'| ≤ ⌊w/2⌋), or null for full attention
     * @param seed   seed of the initialisation
     * @param dtype  floating-point type of the parameters
     */
    public MultiHeadSelfAttention(int width, int heads, boolean causal, Integer window, long seed, DataType dtype) {
        if (width < 1) throw new IllegalArgumentException("MultiHeadSelfAttention: width must be >= 1, got " + width);
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("MultiHeadSelfAttention: heads (" + heads + ") must be >= 1 and divide width ("
                    + width + ")");
        }
        if (window != null && window < 1) {
            throw new IllegalArgumentException("MultiHeadSelfAttention: window must be >= 1 or null (full), got " + window);
        }
        Init.requireFloating("MultiHeadSelfAttention", dtype);
        this.width = width;
        this.heads = heads;
        this.causal = causal;
        this.window = window;
        this.options = ScaledDotProductAttention.Options.full().causal(causal).window(window);
        SplittableRandom seeds = new SplittableRandom(seed);
        this.q = registerModule("q", new Linear(width, width, true, seeds.nextLong(), dtype));
        this.k = registerModule("k", new Linear(width, width, true, seeds.nextLong(), dtype));
        this.v = registerModule("v", new Linear(width, width, true, seeds.nextLong(), dtype));
        this.o = registerModule("o", new Linear(width, width, true, seeds.nextLong(), dtype));
    }

    /**
     * @param x        [B, n, d]
     * @param keyValid BOOL [B, n] (true = a real token), or null when every position is valid;
     *                 padded keys are never attended to (a query that sees no valid key gets 0 before W_O)
     * @return [B, n, d]
     */
    public Tensor forward(Tensor x, Tensor keyValid) {
        Inputs.checkSequence(label(), x, width);
        long b = x.size(0);
        long n = x.size(1);
        Inputs.checkKeyValid(label(), keyValid, b, n);
        long dh = width / heads;
        Tensor qh = split(q.forward(x), b, n, dh);
        Tensor kh = split(k.forward(x), b, n, dh);
        Tensor vh = split(v.forward(x), b, n, dh);
        Tensor heads = ScaledDotProductAttention.apply(qh, kh, vh, keyValid, options);     // [B, h, n, d_h]
        Tensor merged = heads.permute(0, 2, 1, 3).reshape(b, n, width);                   // [B, n, d]
        return o.forward(merged);
    }

    /** [B, n, d] → [B, h, n, d_h] (a view). */
    private Tensor split(Tensor t, long b, long n, long dh) {
        return t.reshape(b, n, heads, dh).permute(0, 2, 1, 3);
    }

    /** Model width d. */
    public int width() {
        return width;
    }

    /** Number of heads h. */
    public int heads() {
        return heads;
    }

    /** Whether the attention is causal. */
    public boolean isCausal() {
        return causal;
    }

    /** The window, or null for full attention. */
    public Integer window() {
        return window;
    }

    /** The query projection W_Q. */
    public Linear query() {
        return q;
    }

    /** The key projection W_K. */
    public Linear key() {
        return k;
    }

    /** The value projection W_V. */
    public Linear value() {
        return v;
    }

    /** The output projection W_O. */
    public Linear output() {
        return o;
    }

    @Override
    protected String label() {
        return "MultiHeadSelfAttention(d=" + width + ", h=" + heads + (causal ? ", causal" : "")
                + (window != null ? ", window=" + window : "") + ")";
    }
}
