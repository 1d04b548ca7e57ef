package dev.maha.core.maha;

import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import dev.maha.core.nn.Init;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The aggregation of spec §4 as a module: its learned parameters, and {@link ScaleAggregator} with the
 * configuration's mode and solver settings.
 *
 * <p>Parameters by mode:
 * <ul>
 *   <li>MEAN: none.</li>
 *   <li>CONVEX, NASH: the scale utilities {@code s_{l,i} = ⟨a_l, u_{l,i}⟩/√d_h + b_l} per head,
 *       {@code utility_weight} a [L, h, d_h] and {@code utility_bias} b [L, h], both uniform in ±1/√d_h
 *       (PyTorch's default for a Linear(d_h → 1) per scale and head).</li>
 *   <li>REFERENCE_SOFTMAX: {@code convex_logits} θ [L], zeros (uniform weights), as the reference code.</li>
 *   <li>REFERENCE_CONSENSUS: {@code convex_logits} [L] and {@code utility_proj} (a Linear(d → 1),
 *       {@code utility_proj.weight} [1, d], {@code utility_proj.bias} [1]). The reference code's "Nash"
 *       module creates both and uses neither; they are kept only so that its state dict loads strictly
 *       by name. They never receive a gradient (it stays null; optimizers skip them).</li>
 * </ul>
 *
 * <p>{@link #forward} takes the first L' ≤ L scales (a causal layer drops its empty coarsest levels) and
 * uses the first L' rows of a and b.
 */
public final class ScaleAggregation extends Module {
    private final MahaConfig config;
    private final ScaleAggregator.Settings settings;
    private final Tensor utilityWeight;
    private final Tensor utilityBias;
    private final Tensor logits;

    /** float32 parameters. */
    public ScaleAggregation(MahaConfig config, long seed) {
        this(config, seed, DataType.FLOAT);
    }

    /**
     * @param config the layer's configuration (aggregation mode, solver options, width, heads, scales)
     * @param seed   seed of the initialisation
     * @param dtype  floating-point type of the parameters
     */
    public ScaleAggregation(MahaConfig config, long seed, DataType dtype) {
        if (config == null) throw new IllegalArgumentException("ScaleAggregation: config is null");
        Init.requireFloating("ScaleAggregation", dtype);
        this.config = config;
        this.settings = settings(config);
        int L = config.scales();
        int h = config.heads();
        int dh = config.headWidth();
        SplittableRandom rng = new SplittableRandom(seed);
        switch (config.aggregation()) {
            case CONVEX, NASH -> {
                double bound = 1 / Math.sqrt(dh);
                utilityWeight = registerParameter("utility_weight", Init.parameter(Init.uniform(rng, bound, dtype, L, h, dh)));
                utilityBias = registerParameter("utility_bias", Init.parameter(Init.uniform(rng, bound, dtype, L, h)));
                logits = null;
            }
            case REFERENCE_SOFTMAX -> {
                utilityWeight = null;
                utilityBias = null;
                logits = registerParameter("convex_logits", Init.parameter(Init.constant(0, dtype, L)));
            }
            case REFERENCE_CONSENSUS -> {
                utilityWeight = null;
                utilityBias = null;
                logits = registerParameter("convex_logits", Init.parameter(Init.constant(0, dtype, L)));
                registerModule("utility_proj", new Linear(config.width(), 1, true, rng.nextLong(), dtype));
            }
            default -> {
                utilityWeight = null;
                utilityBias = null;
                logits = null;
            }
        }
    }

    /** The aggregator settings of a configuration (mode, solver options, ε, λ, consensus rounds). */
    public static ScaleAggregator.Settings settings(MahaConfig config) {
        return new ScaleAggregator.Settings(ScaleAggregator.Mode.valueOf(config.aggregation().name()), config.convex(),
                config.contest(), config.valuationEpsilon(), config.referenceLambda(), config.consensusIterations());
    }

    /**
     * Aggregates the upsampled scale outputs.
     *
     * @param u         the first L' (1 ≤ L' ≤ L) scales' upsampled outputs, each {@code [B, h, n, d_h]}
     * @param available per scale a {@code boolean[n]} (null entries, or a null list: available everywhere)
     * @return {@link ScaleAggregator.Result}: output {@code [B, h, n, d_h]}, aux loss, weights, certificate
     */
    public ScaleAggregator.Result forward(List<Tensor> u, List<boolean[]> available) {
        return forward(u, available, null, null);
    }

    /**
     * {@link #forward(List, List)} that, in the CONVEX and NASH modes, computes the utilities on the scale
     * outputs before upsampling ({@link ScaleAggregator#coarseUtilities}): the same values and gradients
     * for a fraction of the work.
     *
     * @param coarse   the scales' outputs before upsampling, {@code [B, h, n_l, d_h]} (one per entry of u), or null
     * @param upsample level l's upsampling along axis 2, as it made u from coarse (used when coarse is given)
     */
    public ScaleAggregator.Result forward(List<Tensor> u, List<boolean[]> available, List<Tensor> coarse,
                                          java.util.function.BiFunction<Tensor, Integer, Tensor> upsample) {
        if (u == null || u.isEmpty() || u.size() > config.scales()) {
            throw new IllegalArgumentException(label() + ": u must hold 1.." + config.scales() + " scale outputs, got "
                    + (u == null ? "null" : u.size()));
        }
        int used = u.size();
        Tensor a = utilityRows(utilityWeight, used);
        Tensor b = utilityRows(utilityBias, used);
        if (logits != null && used != config.scales()) {
            throw new IllegalArgumentException(label() + ": " + config.aggregation() + " needs all " + config.scales()
                    + " scales, got " + used);
        }
        Tensor s = null;
        if (a != null && coarse != null) {
            if (coarse.size() != used || upsample == null) {
                throw new IllegalArgumentException(label() + ": coarse outputs must match u (" + used + " scales, got "
                        + coarse.size() + ") and come with their upsampling");
            }
            s = ScaleAggregator.coarseUtilities(coarse, upsample, a, b);
        }
        return ScaleAggregator.aggregate(settings, u, available, a, b, logits, s);
    }

    /**
     * Aggregates the scale outputs given before upsampling (spec §3 then §4), with the configuration's
     * ratio and causal rule. MEAN and NASH mix the coarse outputs in place
     * ({@link ScaleAggregator#aggregateUpsampled}: the same result without the L upsampled copies); the
     * other modes upsample them first and aggregate as {@link #forward(List, List, List, java.util.function.BiFunction)}.
     *
     * @param coarse    the first L' (1 ≤ L' ≤ L) scales' outputs {@code O_l [B, h, n_l, d_h]}
     * @param n         the full length
     * @param available per scale a {@code boolean[n]} (null entries, or a null list: available everywhere)
     * @return {@link ScaleAggregator.Result}: output {@code [B, h, n, d_h]}, aux loss, weights, certificate
     */
    public ScaleAggregator.Result forwardCoarse(List<Tensor> coarse, int n, List<boolean[]> available) {
        if (coarse == null || coarse.isEmpty() || coarse.size() > config.scales()) {
            throw new IllegalArgumentException(label() + ": coarse must hold 1.." + config.scales() + " scale outputs, got "
                    + (coarse == null ? "null" : coarse.size()));
        }
        int r = config.ratio();
        boolean causal = config.causal();
        java.util.function.BiFunction<Tensor, Integer, Tensor> upsample = (x, level) -> Upsampling.upsample(x, 2, n, level, r, causal);
        int used = coarse.size();
        MahaConfig.Aggregation mode = config.aggregation();
        if (mode != MahaConfig.Aggregation.MEAN && mode != MahaConfig.Aggregation.NASH) {
            List<Tensor> u = new java.util.ArrayList<>(used);
            for (int l = 0; l < used; l++) u.add(upsample.apply(coarse.get(l), l));
            return forward(u, available, coarse, upsample);
        }
        int[][] sources = new int[used][];
        for (int l = 0; l < used; l++) sources[l] = Upsampling.sources(n, (int) coarse.get(l).size(2), l, r, causal);
        Tensor s = null;
        if (mode == MahaConfig.Aggregation.NASH) {
            s = ScaleAggregator.coarseUtilities(coarse, upsample, utilityRows(utilityWeight, used), utilityRows(utilityBias, used));
        }
        return ScaleAggregator.aggregateUpsampled(settings, coarse, sources, available, s);
    }

    /** The first {@code used} rows of a utility parameter (the scales in use), or null when the mode has none. */
    private Tensor utilityRows(Tensor parameter, int used) {
        if (parameter == null || used == config.scales()) return parameter;
        return parameter.narrow(0, 0, used);
    }

    /** The utility weights a [L, h, d_h] (CONVEX, NASH), else null. */
    public Tensor utilityWeight() {
        return utilityWeight;
    }

    /** The utility biases b [L, h] (CONVEX, NASH), else null. */
    public Tensor utilityBias() {
        return utilityBias;
    }

    /** The reference logits θ [L] (reference modes), else null. */
    public Tensor logits() {
        return logits;
    }

    /** The configuration. */
    public MahaConfig config() {
        return config;
    }

    @Override
    protected String label() {
        return "ScaleAggregation(" + config.aggregation() + ", L = " + config.scales()
                + (utilityWeight != null ? ", a " + Shapes.str(utilityWeight.shape()) : "") + ")";
    }
}
