package dev.maha.core.maha;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import dev.maha.core.attention.ScaledDotProductAttention;
import dev.maha.core.nn.Init;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import dev.maha.core.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MAHA layer (spec §1–§5): multiscale attention with per-scale queries and keys, shared values,
 * upsampling and aggregation, on the block's conv features {@code C [B, n, d]}.
 * <pre>
 *   X_0 = C, X_l = D_l(X_{l−1})                     decomposition (§1), optionally gated (§5)
 *   Q_l = X_l W_l^Qᵀ + b,  K_l = X_l W_l^Kᵀ + b       per-scale projections (§2)
 *   V_0 = C W^Vᵀ + b,  V_l = D_l(V_{l−1})             one shared value projection, the same D_l (§2)
 *   O_l = softmax(Q_l K_lᵀ/√d_h + M_l) V_l            per head; causal, window w_l, padding in M_l (§2)
 *   u_l = U(O_l)                                      back to length n, with availability (§3); MEAN and NASH
 *                                                     read O_l in place instead ({@link ScaleAggregation#forwardCoarse})
 *   O*  = Σ_l w_l u_l                                 aggregation per position and head (§4)
 *   out = O* W^Oᵀ + b                                 when {@link MahaConfig#outputProjection()}
 * </pre>
 * Attention is the fused {@link ScaledDotProductAttention} (blockwise when windowed), one call per scale over
 * all heads. Heads: head k takes feature columns {@code [k·d_h, (k+1)·d_h)} of Q, K, V. With
 * {@link MahaConfig#rotary()} each scale's queries and keys are rotated with positions j·R_l ({@link Rotary}).
 *
 * <p><b>Empty levels.</b> A causal layer of length n < R_l has n_l = ⌊n/R_l⌋ = 0 at scale l and every
 * coarser one. Those scales are skipped: no projection, no attention, and the aggregation runs over the
 * first L' non-empty scales (with the first L' rows of its utility parameters).
 *
 * <p><b>Padding.</b> With a key mask {@code keyValid [B, n]} (true = real token), C and the shared values are
 * zeroed at padded positions before anything reads them, and the mask is carried to every scale with
 * {@link KeyMasks} ("a coarse token is valid iff any fine token it covers is valid"), where it masks the keys.
 * Outputs at real positions therefore do not depend on the content of padded positions.
 *
 * <p><b>Parameter names</b> (dotted, as {@link #stateDict()} lists them):
 * <ul>
 *   <li>{@code q_projs.{l}.weight} [d, d], {@code .bias} [d]; {@code k_projs.{l}.*}; {@code shared_v_proj.*}
 *       — the reference code's names;</li>
 *   <li>{@code gates.{l}.weight} [d, 2d], {@code .bias} [d] for l = 0..L−2 when gating is on (W_g, b_g of
 *       spec §5; entry l gates level l);</li>
 *   <li>{@code out_proj.weight} [d, d], {@code .bias} [d] when the output projection W^O is on;</li>
 *   <li>{@code decomposition.*} ({@link ScaleDecomposition}) and {@code aggregation.*} ({@link ScaleAggregation}):
 *       the layer registers these shared modules too. A {@link HybridBlock} registers the same two
 *       modules at its own level first, so that in the block they are named {@code decomposition.*} and
 *       {@code aggregation.*} (as in the reference code) and listed once.</li>
 * </ul>
 * The layer has no dropout and no mode-dependent behaviour; all parameters are Linear-style, uniform in
 * ±1/√fan_in (PyTorch's defaults), drawn from seeds derived from {@link MahaConfig#seed()}.
 */
public final class MultiscaleAttention extends Module {
    private final MahaConfig config;
    private final DataType dtype;
    private final ModuleList<Linear> qProjs;
    private final ModuleList<Linear> kProjs;
    private final Linear vProj;
    private final ModuleList<Linear> gates;
    private final Linear outProj;
    private final ScaleDecomposition decomposition;
    private final ScaleAggregation aggregation;

    /**
     * What the layer returns.
     *
     * @param output      {@code [B, n, d]}
     * @param auxLoss     rank 0: {@code λ·‖w‖₁} for REFERENCE_SOFTMAX, zero otherwise
     * @param weights     the aggregation weights, for logging: {@code [B, h, n, L']} for MEAN, CONVEX, NASH
     *                    (L' = the non-empty scales), {@code [L]} for REFERENCE_SOFTMAX, {@code [B, L]} for
     *                    REFERENCE_CONSENSUS
     * @param certificate the solver certificate (largest KKT residual for CONVEX, largest relative
     *                    equilibrium gap for NASH), empty for the other modes
     */
    public record Output(Tensor output, Tensor auxLoss, Tensor weights, OptionalDouble certificate) {
    }

    /** A float32 layer with its own decomposition and aggregation. */
    public MultiscaleAttention(MahaConfig config) {
        this(config, DataType.FLOAT);
    }

    /** A layer with its own decomposition and aggregation, parameters of type {@code dtype}. */
    public MultiscaleAttention(MahaConfig config, DataType dtype) {
        this(config, dtype, new SplittableRandom(requireConfig(config).seed()));
    }

    private MultiscaleAttention(MahaConfig config, DataType dtype, SplittableRandom rng) {
        this(config, new ScaleDecomposition(config, rng.nextLong(), dtype), new ScaleAggregation(config, rng.nextLong(), dtype),
                rng.nextLong(), dtype);
    }

    /**
     * A layer sharing a decomposition and an aggregation module (as {@link HybridBlock} does).
     *
     * @param config        the configuration; {@code decomposition} and {@code aggregation} must have been built
     *                      from an equal one
     * @param decomposition the decomposition module (applied to C and to the shared values)
     * @param aggregation   the aggregation module
     * @param seed          seed of this layer's own projections
     * @param dtype         floating-point type of the parameters (the shared modules must have it too)
     */
    public MultiscaleAttention(MahaConfig config, ScaleDecomposition decomposition, ScaleAggregation aggregation, long seed,
                               DataType dtype) {
        requireConfig(config);
        Init.requireFloating("MultiscaleAttention", dtype);
        if (decomposition == null || !decomposition.config().equals(config)) {
            throw new IllegalArgumentException("MultiscaleAttention: decomposition must be built from the same config, got "
                    + (decomposition == null ? "null" : decomposition.config()));
        }
        if (aggregation == null || !aggregation.config().equals(config)) {
            throw new IllegalArgumentException("MultiscaleAttention: aggregation must be built from the same config, got "
                    + (aggregation == null ? "null" : aggregation.config()));
        }
        for (Map.Entry<String, Tensor> e : decomposition.namedParameters().entrySet()) requireType("decomposition", e, dtype);
        for (Map.Entry<String, Tensor> e : aggregation.namedParameters().entrySet()) requireType("aggregation", e, dtype);
        this.config = config;
        this.dtype = dtype;
        int d = config.width();
        int L = config.scales();
        SplittableRandom rng = new SplittableRandom(seed);
        this.qProjs = registerModule("q_projs", new ModuleList<>());
        for (int l = 0; l < L; l++) qProjs.add(new Linear(d, d, true, rng.nextLong(), dtype));
        this.kProjs = registerModule("k_projs", new ModuleList<>());
        for (int l = 0; l < L; l++) kProjs.add(new Linear(d, d, true, rng.nextLong(), dtype));
        this.vProj = registerModule("shared_v_proj", new Linear(d, d, true, rng.nextLong(), dtype));
        if (config.gating()) {
            this.gates = registerModule("gates", new ModuleList<>());
            for (int l = 0; l + 1 < L; l++) gates.add(new Linear(2 * d, d, true, rng.nextLong(), dtype));
        } else {
            this.gates = null;
        }
        this.outProj = config.outputProjection() ? registerModule("out_proj", new Linear(d, d, true, rng.nextLong(), dtype)) : null;
        this.decomposition = registerModule("decomposition", decomposition);
        this.aggregation = registerModule("aggregation", aggregation);
    }

    private static MahaConfig requireConfig(MahaConfig config) {
        if (config == null) throw new IllegalArgumentException("MultiscaleAttention: config is null");
        return config;
    }

    private static void requireType(String what, Map.Entry<String, Tensor> e, DataType dtype) {
        if (e.getValue().dtype() != dtype) {
            throw new IllegalArgumentException("MultiscaleAttention: " + what + "." + e.getKey() + " is " + e.getValue().dtype()
                    + " but the layer's dtype is " + dtype);
        }
    }

    /**
     * @param c        the conv features {@code [B, n, d]} (n ≥ 1), of the layer's data type
     * @param keyValid BOOL {@code [B, n]} (true = real token), or null when every position is real
     * @return output {@code [B, n, d]}, aux loss, aggregation weights and certificate
     */
    public Output forward(Tensor c, Tensor keyValid) {
        return forward(c, keyValid, null);
    }

    /**
     * {@link #forward(Tensor, Tensor)} that also records intermediates into {@code trace} (when not null),
     * under the reference fixture's names without the {@code act.} prefix: {@code scale.{l}} X_l (after
     * gating) and {@code v.{l}} V_l {@code [B, n_l, d]}, {@code attn.{l}} O_l {@code [B, n_l, d]} (heads
     * merged), {@code up.{l}} U(O_l) {@code [B, n, d]}, {@code weights}, {@code agg} O* {@code [B, n, d]}
     * (before W^O). Skipped scales are not recorded. Tracing adds head-merging copies; use it for debugging.
     */
    public Output forward(Tensor c, Tensor keyValid, Map<String, Tensor> trace) {
        checkInput("MultiscaleAttention", "input C", c, keyValid);
        int n = Math.toIntExact(c.size(1));
        int L = config.scales();
        int r = config.ratio();
        boolean causal = config.causal();
        int[] lengths = config.scaleLengths(n);
        int used = 0;
        while (used < L && lengths[used] > 0) used++;

        Tensor valid = keyValid == null ? null : validityColumn(keyValid);
        Tensor x0 = valid == null ? c : c.mul(valid);
        List<Tensor> xs = decomposition.forward(x0);
        if (gates != null) {
            List<Tensor> w = new ArrayList<>(L - 1);
            List<Tensor> b = new ArrayList<>(L - 1);
            for (Linear g : gates) {
                w.add(g.weight());
                b.add(g.bias());
            }
            xs = Gating.gate(xs, w, b, r, causal);
        }
        Tensor v0 = vProj.forward(x0);
        if (valid != null) v0 = v0.mul(valid);
        List<Tensor> vs = decomposition.forward(v0);
        List<INDArray> masks = keyValid == null ? null : KeyMasks.pyramid(keyValid.value(), config);
        if (masks != null) for (int l = used; l < L; l++) Memory.release(masks.get(l));

        List<Tensor> coarse = new ArrayList<>(used);
        List<boolean[]> available = causal ? new ArrayList<>(used) : null;
        for (int l = 0; l < used; l++) {
            Tensor x = xs.get(l);
            Tensor q = splitHeads(qProjs.get(l).forward(x));
            Tensor k = splitHeads(kProjs.get(l).forward(x));
            Tensor v = splitHeads(vs.get(l));
            if (config.rotary()) {
                long step = Upsampling.composite(r, l, n);
                q = Rotary.apply(q, step, config.rotaryBase());
                k = Rotary.apply(k, step, config.rotaryBase());
            }
            Tensor mask = masks == null ? null : Tensor.owning(masks.get(l));
            ScaledDotProductAttention.Options options = ScaledDotProductAttention.Options.full().causal(causal)
                    .window(config.window(l));
            Tensor o = ScaledDotProductAttention.apply(q, k, v, mask, options);                    // [B, h, n_l, d_h]
            coarse.add(o);
            if (causal) available.add(Upsampling.availability(n, lengths[l], l, r, true));
            if (trace != null) {
                trace.put("scale." + l, x);
                trace.put("v." + l, vs.get(l));
                trace.put("attn." + l, mergeHeads(o));
                trace.put("up." + l, mergeHeads(Upsampling.upsample(o, 2, n, l, r, causal)));        // [B, n, d], for the trace only
            }
        }
        ScaleAggregator.Result agg = aggregation.forwardCoarse(coarse, n, available);              // upsampling (§3) inside
        Tensor out = mergeHeads(agg.output());                                                      // [B, n, d]
        if (trace != null) {
            trace.put("weights", agg.weights());
            trace.put("agg", out);
        }
        if (outProj != null) out = outProj.forward(out);
        return new Output(out, agg.auxLoss(), agg.weights(), agg.certificate());
    }

    /**
     * Checks a {@code [B, n, d]} input of the given module and its optional BOOL {@code [B, n]} key mask.
     * Shared with {@link HybridBlock}.
     */
    void checkInput(String who, String what, Tensor x, Tensor keyValid) {
        int d = config.width();
        if (x == null) throw new IllegalArgumentException(who + ": " + what + " is null; expected [B, n, " + d + "]");
        if (x.rank() != 3 || x.size(2) != d) {
            throw new IllegalArgumentException(who + ": " + what + " must be [B, n, " + d + "] (width d = " + d + "), got "
                    + Shapes.str(x.shape()));
        }
        if (x.size(1) < 1) {
            throw new IllegalArgumentException(who + ": " + what + " " + Shapes.str(x.shape()) + " has length n = 0; need n >= 1");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException(who + ": " + what + " " + Shapes.str(x.shape()) + " is " + x.dtype()
                    + " but the parameters are " + dtype + " (cast the input or build the module with " + x.dtype() + ")");
        }
        if (keyValid != null) {
            long[] want = {x.size(0), x.size(1)};
            if (keyValid.rank() != 2 || keyValid.size(0) != want[0] || keyValid.size(1) != want[1]) {
                throw new IllegalArgumentException(who + ": keyValid must be BOOL " + Shapes.str(want) + " to match " + what + " "
                        + Shapes.str(x.shape()) + ", got " + Shapes.str(keyValid.shape()));
            }
            if (keyValid.dtype() != DataType.BOOL) {
                throw new IllegalArgumentException(who + ": keyValid " + Shapes.str(keyValid.shape()) + " must be BOOL, got "
                        + keyValid.dtype());
            }
        }
    }

    /** keyValid BOOL [B, n] as a constant {@code [B, n, 1]} of the layer's type (1 = real, 0 = padding). */
    Tensor validityColumn(Tensor keyValid) {
        return Tensor.owning(keyValid.value().castTo(dtype)).unsqueeze(2);
    }

    /** {@code [B, m, d]} → {@code [B, h, m, d_h]}. */
    private Tensor splitHeads(Tensor t) {
        return t.reshape(t.size(0), t.size(1), config.heads(), config.headWidth()).permute(0, 2, 1, 3);
    }

    /** {@code [B, h, m, d_h]} → {@code [B, m, d]}. */
    private Tensor mergeHeads(Tensor t) {
        return t.permute(0, 2, 1, 3).reshape(t.size(0), t.size(2), config.width());
    }

    /** The configuration. */
    public MahaConfig config() {
        return config;
    }

    /** The parameters' data type. */
    public DataType dtype() {
        return dtype;
    }

    /** The per-scale query projections (L entries). */
    public ModuleList<Linear> queryProjections() {
        return qProjs;
    }

    /** The per-scale key projections (L entries). */
    public ModuleList<Linear> keyProjections() {
        return kProjs;
    }

    /** The shared value projection W^V. */
    public Linear valueProjection() {
        return vProj;
    }

    /** The gates W_g, b_g (L − 1 entries), or null when gating is off. */
    public ModuleList<Linear> gates() {
        return gates;
    }

    /** The output projection W^O, or null when it is off. */
    public Linear outputProjection() {
        return outProj;
    }

    /** The decomposition module (shared by the X and V pyramids). */
    public ScaleDecomposition decomposition() {
        return decomposition;
    }

    /** The aggregation module. */
    public ScaleAggregation aggregation() {
        return aggregation;
    }

    @Override
    protected String label() {
        return "MultiscaleAttention(d = " + config.width() + ", h = " + config.heads() + ", L = " + config.scales() + ", r = "
                + config.ratio() + ", " + config.aggregation() + (config.causal() ? ", causal" : "") + ")";
    }
}
