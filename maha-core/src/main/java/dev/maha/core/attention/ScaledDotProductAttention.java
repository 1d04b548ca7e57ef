package dev.maha.core.attention;

import dev.maha.autograd.Context;
import dev.maha.autograd.Gemm;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.MatrixBandPart;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fused scaled-dot-product self-attention, one op with its own backward:
 * {@code O = softmax(Q Kᵀ · scale + M) V} per batch element and head.
 *
 * <p>Shapes: q {@code [B, h, n, d_h]}, k {@code [B, h, n, d_h]}, v {@code [B, h, n, d_v]}, optional key
 * mask {@code [B, n]} BOOL (true = a real key, false = padding) → output {@code [B, h, n, d_v]}.
 * Queries and keys have the same length n (self-attention within one scale).
 *
 * <p>The mask M allows query j to see key j' when all of these hold:
 * <ul>
 *   <li>causal: {@code j' ≤ j};</li>
 *   <li>window w (optional, w ≥ 1): {@code j − w < j' ≤ j} when causal, {@code |j − j'| ≤ ⌊w/2⌋}
 *       otherwise; {@code null} means no window;</li>
 *   <li>key mask: {@code keyMask[b, j']} is true.</li>
 * </ul>
 * A query that sees no key at all (every key it could see is padding) outputs exactly 0 and passes
 * gradient 0 to q, k and v; it never produces NaN.
 *
 * <p>Two layouts, chosen by {@link #scoreEntries}: without a window (or with one that covers the
 * whole sequence) the n × n scores of all heads come from one batched GEMM; with a window they are
 * computed blockwise: queries in blocks of c ≤ w ({@link #blockLayout}), each block against the keys
 * it can see (the block itself and the w − 1 keys before it when causal, ⌊w/2⌋ keys on each side
 * otherwise), so the scores are {@code [B, h, ⌈n/c⌉, c, span]} with span = c + w − 1 (causal) or
 * c + 2⌊w/2⌋, and memory and FLOPs grow as n·w, not n². When the sequence is so short that the blocks
 * would hold more entries than the full matrix, the full matrix with the window mask is computed
 * instead: it is then the cheaper one. The block products read the queries and keys in place (the
 * keys as overlapping windows over one zero-padded copy, the queries as a view when their blocks tile
 * n), and the score scale rides on the GEMM's α instead of a separate pass.
 *
 * <p>Saved for backward: the inputs, the output and the probabilities P (never the raw scores).
 * FLOPs reported (per computed score entry e, multiply-add = 2): forward 2·e·d_h (scores) + 5·e
 * (softmax) + e per mask pass + 2·e·d_v (P·V); backward 4·e·d_v (dV, dP) + 2·e (dS) + 4·e·d_h (dQ,
 * dK), plus the terms linear in n. See {@code docs/attention.md}.
 */
public final class ScaledDotProductAttention implements Op {
    private static final String NAME = "sdpa";

    private final boolean causal;
    private final Integer window;
    private final Double scale;
    private final boolean forceBlockwise;

    private ScaledDotProductAttention(Options o) {
        this.causal = o.causal;
        this.window = o.window;
        this.scale = o.scale;
        this.forceBlockwise = o.forceBlockwise;
    }

    // ------------------------------------------------------------------ public entry points

    /**
     * Attention without a key mask.
     *
     * @param q [B, h, n, d_h]
     * @param k [B, h, n, d_h]
     * @param v [B, h, n, d_v]
     * @return [B, h, n, d_v]
     */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, Options options) {
        return apply(q, k, v, null, options);
    }

    /**
     * Attention with an optional key-padding mask.
     *
     * @param q       [B, h, n, d_h]
     * @param k       [B, h, n, d_h]
     * @param v       [B, h, n, d_v]
     * @param keyMask [B, n] BOOL, true where the key is real; null for none. Never receives a gradient.
     * @param options causal, window, scale
     * @return [B, h, n, d_v]
     */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor keyMask, Options options) {
        if (options == null) throw new IllegalArgumentException(NAME + ": options are null (use Options.full())");
        Op op = new ScaledDotProductAttention(options);
        return keyMask == null ? Tensor.apply(op, q, k, v) : Tensor.apply(op, q, k, v, keyMask);
    }

    /**
     * The number of attention-score entries the op computes per batch element and head for a
     * sequence of length n (the paper's cost metric; masked entries inside the computed blocks
     * count, since they are computed).
     *
     * @param n      sequence length, ≥ 0
     * @param causal causal masking
     * @param window window w ≥ 1, or null for full attention
     * @return n² for full attention; ⌈n/c⌉·c·span for blockwise windowed attention with query blocks of c
     *     ({@link #blockLayout}; span = c + w − 1 causal, c + 2⌊w/2⌋ otherwise), or n² when that is not more
     */
    public static long scoreEntries(long n, boolean causal, Integer window) {
        if (n < 0) throw new IllegalArgumentException(NAME + ": n must be >= 0, got " + n);
        Options.checkWindow(window);
        return Layout.of(n, causal, window, false).entries();
    }

    /** The score entries of standard dense attention over n tokens: n² per batch element and head. */
    public static long denseEquivalentEntries(long n) {
        if (n < 0) throw new IllegalArgumentException(NAME + ": n must be >= 0, got " + n);
        return n * n;
    }

    // ------------------------------------------------------------------ options

    /**
     * Masking and scale of one attention call; immutable, each setter returns a copy.
     * {@code Options.full()} is non-causal, without a window, scale 1/√d_h.
     */
    public static final class Options {
        private final boolean causal;
        private final Integer window;
        private final Double scale;
        private final boolean forceBlockwise;

        private Options(boolean causal, Integer window, Double scale, boolean forceBlockwise) {
            this.causal = causal;
            this.window = window;
            this.scale = scale;
            this.forceBlockwise = forceBlockwise;
        }

        /** Non-causal, no window, scale 1/√d_h. */
        public static Options full() {
            return new Options(false, null, null, false);
        }

        /** Causal, no window, scale 1/√d_h. */
        public static Options causalFull() {
            return new Options(true, null, null, false);
        }

        /** A copy with causal masking on or off. */
        public Options causal(boolean on) {
            return new Options(on, window, scale, forceBlockwise);
        }

        /** A copy with window w ≥ 1, or null for none; an IllegalArgumentException names a bad w. */
        public Options window(Integer w) {
            checkWindow(w);
            return new Options(causal, w, scale, forceBlockwise);
        }

        /** A copy with a fixed finite score scale instead of 1/√d_h. */
        public Options scale(double s) {
            if (!Double.isFinite(s)) throw new IllegalArgumentException(NAME + ": scale must be finite, got " + s);
            return new Options(causal, window, s, forceBlockwise);
        }

        /** Always use the blockwise layout when a window is set (tests compare the two layouts). */
        Options forceBlockwise() {
            return new Options(causal, window, scale, true);
        }

        /** Whether query j sees only keys j' ≤ j. */
        public boolean isCausal() {
            return causal;
        }

        /** The window, or null for none. */
        public Integer window() {
            return window;
        }

        /** The fixed scale, or null for the default 1/√d_h. */
        public Double scale() {
            return scale;
        }

        static void checkWindow(Integer w) {
            if (w != null && w < 1) throw new IllegalArgumentException(NAME + ": window must be >= 1 or null (full), got " + w);
        }

        @Override
        public String toString() {
            return "Options[causal=" + causal + ", window=" + (window == null ? "full" : window)
                    + ", scale=" + (scale == null ? "1/sqrt(d_h)" : scale) + "]";
        }
    }

    // ------------------------------------------------------------------ layout

    /**
     * The query block size c of the blockwise layout for window w: {@code w} itself for w < 128, else
     * {@code w/2} clamped to [64, 128]. Each query then scores {@code c + w − 1} keys (causal) instead of
     * {@code 2w − 1} with blocks of w: 25% fewer entries at w = 128, while the per-block products stay
     * large enough for BLAS to run near full speed (measured at w = 128, d_h = 64: blocks of 64 were the
     * fastest of 32, 64 and 128 for the score, P·V and Pᵀ·dO products and the softmax together).
     */
    static int queryBlock(int w) {
        return w < 128 ? w : Math.max(64, Math.min(128, w / 2));
    }

    /**
     * How the scores are laid out for a given n. Blockwise: queries in nb blocks of c ({@link #queryBlock});
     * block b sees the padded key positions [b·c − left, b·c + c + right), span = c + left + right, with
     * left = w − 1, right = 0 when causal and left = right = ⌊w/2⌋ otherwise. Full: the n×n matrix, with a
     * band mask [lower, upper] (−1 = unbounded) when causal or windowed.
     */
    record Layout(long n, boolean causal, boolean blockwise, int block, int left, int right, long blocks, int lower, int upper) {
        static Layout of(long n, boolean causal, Integer window, boolean forceBlockwise) {
            if (window != null) {
                int w = window;
                int c = queryBlock(w);
                int left = causal ? w - 1 : w / 2;
                int right = causal ? 0 : w / 2;
                boolean restricts = causal ? w < n : w / 2 < n - 1;
                long blocks = (n + c - 1) / c;
                long entries = blocks * c * (long) (c + left + right);
                if (forceBlockwise || (restricts && entries < n * n)) {
                    return new Layout(n, causal, true, c, left, right, blocks, -1, -1);
                }
                if (restricts) return new Layout(n, causal, false, 0, 0, 0, 0, left, right);
            }
            return new Layout(n, causal, false, 0, 0, 0, 0, -1, causal ? 0 : -1);
        }

        int span() {
            return block + left + right;
        }

        long paddedLength() {
            return blocks * block;
        }

        boolean banded() {
            return lower >= 0 || upper >= 0;
        }

        long entries() {
            return blockwise ? blocks * block * (long) span() : n * n;
        }
    }

    /**
     * The blockwise layout the op uses for n tokens, or null when it computes the full n × n matrix
     * (no window, a window covering the sequence, or a sequence so short that the full matrix is smaller).
     *
     * @param n      sequence length ≥ 0
     * @param causal causal masking
     * @param window window ≥ 1, or null for full attention
     */
    public static BlockLayout blockLayout(long n, boolean causal, Integer window) {
        if (n < 0) throw new IllegalArgumentException(NAME + ": n must be >= 0, got " + n);
        Options.checkWindow(window);
        Layout l = Layout.of(n, causal, window, false);
        return l.blockwise() ? new BlockLayout(l.blocks(), l.block(), l.span()) : null;
    }

    /**
     * A blockwise layout: {@code blocks} query blocks of {@code block} queries (the last one padded), each
     * scored against {@code span} consecutive key positions.
     */
    public record BlockLayout(long blocks, int block, int span) {
        /** Padded query rows: blocks · block. */
        public long paddedLength() {
            return blocks * block;
        }
    }

    // ------------------------------------------------------------------ the op

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray q = in[0];
        INDArray k = in[1];
        INDArray v = in[2];
        INDArray mask = in.length > 3 ? in[3] : null;
        check(in);
        long b = q.size(0);
        long h = q.size(1);
        long n = q.size(2);
        long dh = q.size(3);
        long dv = v.size(3);
        DataType dt = q.dataType();
        if (b * h * n == 0) {
            ctx.flops(0);
            return Nd4j.create(dt, b, h, n, dv);
        }
        double s = scale != null ? scale : 1.0 / Math.sqrt(dh);
        Layout layout = Layout.of(n, causal, window, forceBlockwise);
        ctx.put("layout", layout);
        ctx.put("scale", s);
        long g = b * h;
        long e = g * layout.entries();
        INDArray p;
        INDArray out;
        int maskPasses;
        if (layout.blockwise()) {
            INDArray qb = Blocks.rowsOf(q, layout.blocks(), layout.block());               // [B,h,nb,c,dh]
            INDArray kp = paddedKeys(k, layout);
            p = Gemm.stridedBatched(qb, keyWindows(kp, layout), false, true, s);        // [B,h,nb,c,span]
            if (!Memory.sharesBuffer(qb, q)) Memory.release(qb);
            Memory.release(kp);
            maskPasses = addBlockMasks(p, mask, layout);
            softmaxInPlace(p, mask != null || layout.paddedLength() != n);
            INDArray vp = paddedKeys(v, layout);
            INDArray ob = Gemm.stridedBatched(p, keyWindows(vp, layout), false, false, 1.0);   // [B,h,nb,c,dv]
            Memory.release(vp);
            out = unblock(ob, b, h, n, layout);
        } else {
            INDArray qs = q.dup('c');
            qs.muli(s);
            p = Gemm.matmul(qs, k, false, true);                                       // [B,h,n,n]
            Memory.release(qs);
            maskPasses = 0;
            if (layout.banded()) {
                Blocks.fillOutsideBand(p, layout.lower(), layout.upper());             // −∞ outside the band
                maskPasses++;
            }
            if (mask != null) {
                INDArray keys = denseKeyMask(mask, dt);                                // [B,1,1,n]
                p.addi(keys);
                Memory.release(keys);
                maskPasses++;
            }
            softmaxInPlace(p, mask != null);
            out = Gemm.matmul(p, v, false, false);                                     // [B,h,n,dv]
        }
        ctx.flops(g * n * dh + 2 * e * dh + (long) maskPasses * e + 5 * e + 2 * e * dv);
        ctx.save(q, k, v, p, out);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray grad) {
        long[] qShape = ctx.inputShape(0);
        long[] kShape = ctx.inputShape(1);
        long[] vShape = ctx.inputShape(2);
        if (Shapes.length(qShape) == 0 || Shapes.length(vShape) == 0) {
            ctx.flops(0);
            DataType dt = grad.dataType();
            INDArray[] empty = new INDArray[ctx.inputCount()];
            long[][] shapes = {qShape, kShape, vShape};
            for (int i = 0; i < 3; i++) empty[i] = ctx.needsGrad(i) ? Nd4j.create(dt, shapes[i]) : null;
            return empty;
        }
        INDArray q = ctx.saved(0);
        INDArray k = ctx.saved(1);
        INDArray v = ctx.saved(2);
        INDArray p = ctx.saved(3);
        INDArray out = ctx.saved(4);
        Layout layout = ctx.get("layout");
        double s = ctx.get("scale");
        long b = qShape[0];
        long h = qShape[1];
        long n = qShape[2];
        long dh = qShape[3];
        long dv = vShape[3];
        long g = b * h;
        long e = g * layout.entries();
        boolean needQK = ctx.needsGrad(0) || ctx.needsGrad(1);
        INDArray dq = null;
        INDArray dk = null;
        INDArray dvOut = null;
        long flops = 0;
        if (layout.blockwise()) {
            INDArray gb = Blocks.rowsOf(grad, layout.blocks(), layout.block());            // [B,h,nb,c,dv]
            if (ctx.needsGrad(2)) {
                dvOut = Blocks.keyGradients(p, gb, n, layout.left(), 1.0);             // Σ_b P_bᵀ g_b into the key rows
                flops += 2 * e * dv + g * layout.blocks() * layout.span() * dv;
            }
            if (needQK) {
                INDArray r = rowDot(grad, out);                                        // [B,h,n,1]
                INDArray rb = queryBlocks(r, layout);                                  // [B,h,nb,c,1]
                Memory.release(r);
                INDArray vp = paddedKeys(v, layout);
                INDArray ds = Gemm.stridedBatched(gb, keyWindows(vp, layout), false, true, 1.0);   // dP [B,h,nb,c,span]
                Memory.release(vp);
                ds.reshape('c', rb.length(), layout.span()).subiColumnVector(rb.reshape('c', new long[] {rb.length()}));
                ds.muli(p);                                                            // dS = P ⊙ (dP − r)
                Memory.release(rb);
                flops += 2 * g * n * dv + 2 * e * dv + 2 * e;
                if (ctx.needsGrad(0)) {
                    INDArray kp = paddedKeys(k, layout);
                    dq = Blocks.productRows(ds, keyWindows(kp, layout), n, s);         // s·dS K per block, in position rows
                    Memory.release(kp);
                    flops += 2 * e * dh + g * n * dh;
                }
                if (ctx.needsGrad(1)) {
                    INDArray qb = Blocks.rowsOf(q, layout.blocks(), layout.block());
                    dk = Blocks.keyGradients(ds, qb, n, layout.left(), s);             // Σ_b s·dS_bᵀ Q_b into the key rows
                    if (!Memory.sharesBuffer(qb, q)) Memory.release(qb);
                    flops += 2 * e * dh + g * layout.paddedLength() * dh + g * layout.blocks() * layout.span() * dh;
                }
                Memory.release(ds);
            }
            if (!Memory.sharesBuffer(gb, grad)) Memory.release(gb);
        } else {
            if (ctx.needsGrad(2)) {
                dvOut = Gemm.matmul(p, grad, true, false);                             // dV = Pᵀ g
                flops += 2 * e * dv;
            }
            if (needQK) {
                INDArray r = rowDot(grad, out);                                        // rowsum(dP ⊙ P) = g · O
                INDArray ds = Gemm.matmul(grad, v, false, true);                       // dP = g Vᵀ
                ds.subi(r);
                ds.muli(p);                                                            // dS = P ⊙ (dP − r)
                Memory.release(r);
                flops += 2 * g * n * dv + 2 * e * dv + 2 * e;
                if (ctx.needsGrad(0)) {
                    dq = Gemm.matmul(ds, k, false, false);                             // dQ = dS K · scale
                    dq.muli(s);
                    flops += 2 * e * dh + g * n * dh;
                }
                if (ctx.needsGrad(1)) {
                    dk = Gemm.matmul(ds, q, true, false);                              // dK = dSᵀ Q · scale
                    dk.muli(s);
                    flops += 2 * e * dh + g * n * dh;
                }
                Memory.release(ds);
            }
        }
        ctx.flops(flops);
        return ctx.inputCount() == 4 ? new INDArray[] {dq, dk, dvOut, null} : new INDArray[] {dq, dk, dvOut};
    }

    // ------------------------------------------------------------------ checks

    private static void check(INDArray[] in) {
        if (in.length != 3 && in.length != 4) {
            throw new IllegalArgumentException(NAME + ": expects q, k, v and an optional key mask, got " + in.length + " inputs");
        }
        INDArray q = in[0];
        INDArray k = in[1];
        INDArray v = in[2];
        String shapes = "q " + Shapes.str(q.shape()) + ", k " + Shapes.str(k.shape()) + ", v " + Shapes.str(v.shape());
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
            throw new IllegalArgumentException(NAME + ": q, k, v must be [B, h, n, d_h], [B, h, n, d_h], [B, h, n, d_v]; got " + shapes);
        }
        Shapes.requireFloating(NAME, "q", q);
        Shapes.requireFloating(NAME, "k", k);
        Shapes.requireFloating(NAME, "v", v);
        for (int axis = 0; axis < 3; axis++) {
            if (q.size(axis) != k.size(axis) || q.size(axis) != v.size(axis)) {
                throw new IllegalArgumentException(NAME + ": q, k, v must agree in B, h and n (axes 0-2); got " + shapes);
            }
        }
        if (q.size(3) != k.size(3)) {
            throw new IllegalArgumentException(NAME + ": q and k must have the same head width d_h; got " + shapes);
        }
        if (q.size(3) < 1 || v.size(3) < 1) {
            throw new IllegalArgumentException(NAME + ": head widths must be >= 1; got " + shapes);
        }
        if (in.length == 4) {
            INDArray m = in[3];
            long[] want = {q.size(0), q.size(2)};
            if (m.dataType() != DataType.BOOL || m.rank() != 2 || m.size(0) != want[0] || m.size(1) != want[1]) {
                throw new IllegalArgumentException(NAME + ": key mask must be BOOL [B, n] = " + Shapes.str(want) + ", got "
                        + m.dataType() + " " + Shapes.str(m.shape()) + " (" + shapes + ")");
            }
        }
    }

    // ------------------------------------------------------------------ softmax

    /**
     * Row softmax over the last axis, in place; −∞ entries get probability 0, and a row that is
     * entirely −∞ (a query that sees no key) becomes all zeros instead of NaN. Uses ND4J's native
     * softmax (one pass instead of seven); the NaN sweep for empty rows runs only when such a row can
     * exist ({@code mayHaveEmptyRows}: a key mask, or zero-padded query rows of the last block —
     * every other query sees at least its own key).
     */
    private static void softmaxInPlace(INDArray x, boolean mayHaveEmptyRows) {
        if (!Memory.isRowMajorDense(x)) {
            throw new IllegalStateException(NAME + ": softmax needs a row-major score array, got " + x.shapeInfoToString());
        }
        if (x.dataType() == DataType.FLOAT) {
            Nd4j.exec((org.nd4j.linalg.api.ops.CustomOp) new SoftMax(x, x, x.rank() - 1));   // native, max-subtracted
        } else {
            // The native kernel returns NaN in float64 for rows such as [−1000, −1001, −1002] (probed),
            // so float64 (the precision of checks) subtracts the row maximum explicitly.
            int axis = x.rank() - 1;
            INDArray max = x.max(true, axis);
            x.subi(max);
            Transforms.exp(x, false);
            INDArray sum = x.sum(true, axis);
            x.divi(sum);
            Memory.release(max);
            Memory.release(sum);
        }
        if (mayHaveEmptyRows) BooleanIndexing.replaceWhere(x, 0.0, Conditions.isNan());   // empty rows: (−∞ − (−∞)) → 0
    }

    /** {@code Σ_c a[..., c] · b[..., c]} over the last axis, keeping it: [..., 1]. */
    private static INDArray rowDot(INDArray a, INDArray b) {
        INDArray prod = a.mul(b);
        INDArray r = prod.sum(true, prod.rank() - 1);
        Memory.release(prod);
        return r;
    }

    // ------------------------------------------------------------------ masks

    /** Additive key mask [B, 1, 1, n]: 0 for a real key, −∞ for padding. */
    private static INDArray denseKeyMask(INDArray mask, DataType dt) {
        INDArray cast = mask.castTo(dt);
        Transforms.log(cast, false);                                     // 1 → 0, 0 → −∞
        INDArray out = cast.reshape('c', mask.size(0), 1, 1, mask.size(1)).dup('c');
        Memory.release(cast);
        return out;
    }

    /**
     * Adds the blockwise masks to the scores p [B, h, nb, w, span] in place: the in-block band (the
     * causal/window rule, the same [w, span] pattern for every block, added as one row vector over
     * [B·h·nb, w·span]), and key validity. Without a key mask only the blocks at the ends see
     * positions outside [0, n), so only they get the validity term; with a key mask every block does.
     *
     * @return the number of passes over p, for the FLOP count
     */
    private static int addBlockMasks(INDArray p, INDArray mask, Layout layout) {
        DataType dt = p.dataType();
        long rows = p.length() / ((long) layout.block() * layout.span());
        INDArray local = blockMask(layout, dt);                                        // [c, span]
        p.reshape('c', rows, (long) layout.block() * layout.span()).addiRowVector(local.reshape('c', new long[] {local.length()}));
        Memory.release(local);
        INDArray keys = blockKeyMask(mask, layout, dt);                                // [B|1, 1, nb, 1, span]
        if (mask != null) {
            p.addi(keys);
            Memory.release(keys);
            return 2;
        }
        for (long block = 0; block < layout.blocks(); block++) {
            long start = block * layout.block() - layout.left();
            if (start >= 0 && start + layout.span() <= layout.n()) continue;         // sees only real positions
            INDArray edge = p.get(all(), all(), NDArrayIndex.point(block), all(), all());   // [B, h, w, span]
            INDArray valid = keys.get(all(), all(), NDArrayIndex.point(block), all(), all()); // [1, 1, 1, span]
            edge.addi(valid.reshape('c', 1, 1, 1, layout.span()));
        }
        Memory.release(keys);
        return 2;   // counted as two passes either way: the FLOP count is the nominal one of the two mask terms
    }

    /**
     * Additive in-block mask [w, span] by the causal/window rule: query i of a block (position
     * b·w + i) sees padded key c of its span (position b·w − left + c) iff 0 ≤ c − i ≤ left + right
     * (causal: j − w < j' ≤ j; otherwise |j − j'| ≤ ⌊w/2⌋), a band of the [w, span] matrix.
     */
    private static INDArray blockMask(Layout layout, DataType dt) {
        INDArray ones = Nd4j.ones(dt, layout.block(), layout.span());
        INDArray band = Nd4j.exec(new MatrixBandPart(ones, 0, layout.left() + layout.right()))[0];
        Memory.release(ones);
        Transforms.log(band, false);
        return band;
    }

    /**
     * Additive key validity per block [B|1, 1, nb, 1, span]: −∞ for keys outside [0, n) (the
     * padding of the blocks) and for keys the mask marks as padding; the validity vector is
     * gathered into blocks exactly like the keys.
     */
    private static INDArray blockKeyMask(INDArray mask, Layout layout, DataType dt) {
        long batch = mask == null ? 1 : mask.size(0);
        long n = layout.n();
        INDArray cast = mask == null ? Nd4j.ones(dt, 1, n) : mask.castTo(dt);
        INDArray valid = cast.reshape('c', batch, 1, n, 1);
        INDArray blocks = keyBlocks(valid, layout);                      // [B|1, 1, nb, span, 1], 0 outside [0, n)
        Memory.release(valid);
        Memory.release(cast);
        Transforms.log(blocks, false);
        return blocks.reshape('c', batch, 1, layout.blocks(), 1, layout.span());
    }

    // ------------------------------------------------------------------ blocks

    /** x [B,h,n,d] padded with zero rows to nb·c: [B,h,nb,c,d], a new array (for the small row sums r). */
    private static INDArray queryBlocks(INDArray x, Layout layout) {
        long b = x.size(0);
        long h = x.size(1);
        long n = x.size(2);
        long d = x.size(3);
        INDArray padded;
        if (layout.paddedLength() == n) {
            padded = x.dup('c');
        } else {
            padded = Nd4j.zeros(x.dataType(), b, h, layout.paddedLength(), d);
            padded.get(all(), all(), NDArrayIndex.interval(0, n), all()).assign(x);
        }
        return padded.reshape('c', b, h, layout.blocks(), layout.block(), d);
    }

    /** The keys each query block sees: x [B,h,n,d] → [B,h,nb,span,d], a new array (see {@link Blocks#gather}). */
    private static INDArray keyBlocks(INDArray x, Layout layout) {
        return Blocks.gather(x, layout.blocks(), layout.block(), layout.left(), layout.span());
    }

    /**
     * Keys (or values) x [B,h,n,d] in zeroed rows, [B, left + nb·c + right, h, d] with key j at row left + j,
     * so that query block b's keys are the rows [b·c, b·c + span) ({@link #keyWindows}); zero rows are the
     * positions outside [0, n), which the block masks exclude.
     */
    private static INDArray paddedKeys(INDArray x, Layout layout) {
        return Blocks.padRows(x, layout.left(), layout.paddedLength() + layout.left() + layout.right());
    }

    /** The overlapping per-block key windows [B,h,nb,span,d] of {@link #paddedKeys}, a view (no copy). */
    private static INDArray keyWindows(INDArray padded, Layout layout) {
        return Blocks.windows(padded, layout.blocks(), layout.block(), layout.span());
    }

    /** Block rows [B,h,nb,w,d] back to [B,h,n,d] (dropping the padded rows); frees the blocks. */
    private static INDArray unblock(INDArray xb, long b, long h, long n, Layout layout) {
        long d = xb.size(4);
        INDArray rows = xb.reshape('c', b, h, layout.paddedLength(), d);
        if (layout.paddedLength() == n) return rows;
        INDArray out = rows.get(all(), all(), NDArrayIndex.interval(0, n), all()).dup('c');
        Memory.release(xb);
        return out;
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
