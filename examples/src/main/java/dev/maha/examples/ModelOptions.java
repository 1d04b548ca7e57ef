package dev.maha.examples;

import dev.maha.core.maha.HybridBlock;
import dev.maha.core.maha.MahaConfig;
import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.maha.MahaConfig.DilatedConv;
import dev.maha.core.model.ModelConfig;
import dev.maha.core.model.StandardBlock;
import dev.maha.core.model.TransformerModel;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import dev.maha.optim.solvers.GradientMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The model's shape and every MAHA knob, as command-line options shared by the training commands.
 * A checkpoint stores them as their command-line form ({@link #toArgs()}) and {@link #parse} reads
 * them back, so a checkpoint rebuilds its model with no guesswork.
 *
 * <p>The reference aggregations (REFERENCE_SOFTMAX, REFERENCE_CONSENSUS) are not causal and so cannot
 * train a language model; their knobs (λ, consensus iterations) are therefore not offered.
 */
public final class ModelOptions {
    @Option(names = "--width", description = "Model width d (default: ${DEFAULT-VALUE}).")
    int width = 128;

    @Option(names = "--layers", description = "Number of blocks (default: ${DEFAULT-VALUE}).")
    int layers = 2;

    @Option(names = "--heads", description = "Attention heads, dividing the width (default: ${DEFAULT-VALUE}).")
    int heads = 4;

    @Option(names = "--ffn-width", description = "FFN hidden width (default: 4 x width).")
    Integer ffnWidth;

    @Option(names = "--dropout", description = "Dropout in the embeddings and every block (default: ${DEFAULT-VALUE}).")
    double dropout = 0.0;

    @Option(names = "--scales", description = "MAHA: number of scales L, scale 0 included (default: ${DEFAULT-VALUE}).")
    int scales = 3;

    @Option(names = "--ratio", description = "MAHA: downsampling ratio r between scales (default: ${DEFAULT-VALUE}).")
    int ratio = 2;

    @Option(names = "--kernel", description = "MAHA: kernel of the decomposition convolutions (default: ${DEFAULT-VALUE}).")
    int kernel = 3;

    @Option(names = "--window", description = "MAHA: attention window at scales 0..L-2; the coarsest scale attends to all"
            + " of its past (default: ${DEFAULT-VALUE}). Ignored when --windows is given.")
    int window = 64;

    @Option(names = "--windows", description = "MAHA: one window per scale, comma-separated, 'full' for full attention,"
            + " e.g. 64,64,full.")
    String windows;

    @Option(names = "--decomposition", description = "MAHA: downsampling operator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Decomposition decomposition = Decomposition.DEPTHWISE;

    @Option(names = "--dilated-conv", description = "MAHA: the block's dilated convolution: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    DilatedConv dilatedConv = DilatedConv.DEPTHWISE;

    @Option(names = "--aggregation", description = "MAHA: how scales combine, MEAN, CONVEX or NASH (causal ones; default: ${DEFAULT-VALUE}).")
    Aggregation aggregation = Aggregation.NASH;

    @Option(names = "--gating", arity = "1", paramLabel = "true|false", description = "MAHA: cross-scale gating (default: ${DEFAULT-VALUE}).")
    boolean gating = false;

    @Option(names = "--pre-norm", arity = "1", paramLabel = "true|false", description = "MAHA: pre-LN block; false is the reference's post-LN (default: ${DEFAULT-VALUE}).")
    boolean preNorm = true;

    @Option(names = "--output-projection", arity = "1", paramLabel = "true|false", description = "MAHA: output projection W^O (default: ${DEFAULT-VALUE}).")
    boolean outputProjection = true;

    @Option(names = "--rotary", arity = "1", paramLabel = "true|false", description = "MAHA: per-scale rotary positions on queries and keys (default: ${DEFAULT-VALUE}).")
    boolean rotary = false;

    @Option(names = "--rotary-base", description = "MAHA: rotary base theta (default: ${DEFAULT-VALUE}).")
    double rotaryBase = 10000;

    @Option(names = "--valuation-epsilon", description = "MAHA NASH: epsilon of the contest valuations softplus(s) + eps (default: ${DEFAULT-VALUE}).")
    double valuationEpsilon = 1e-6;

    @Option(names = "--contest-solver", description = "MAHA NASH: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ContestEquilibrium.Solver contestSolver = ContestEquilibrium.Solver.EXACT;

    @Option(names = "--contest-iterations", description = "MAHA NASH, BEST_RESPONSE: iterations (default: ${DEFAULT-VALUE}).")
    int contestIterations = ContestEquilibrium.Options.DEFAULT_ITERATIONS;

    @Option(names = "--contest-damping", description = "MAHA NASH, BEST_RESPONSE: damping in (0, 1] (default: ${DEFAULT-VALUE}).")
    double contestDamping = ContestEquilibrium.Options.DEFAULT_DAMPING;

    @Option(names = "--contest-gradient", description = "MAHA NASH: IMPLICIT or UNROLLED (default: IMPLICIT for EXACT, UNROLLED for BEST_RESPONSE).")
    GradientMode contestGradient;

    @Option(names = "--convex-solver", description = "MAHA CONVEX: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ConvexAllocation.Solver convexSolver = ConvexAllocation.Solver.ACTIVE_SET;

    @Option(names = "--convex-iterations", description = "MAHA CONVEX, FISTA: iterations (default: ${DEFAULT-VALUE}).")
    int convexIterations = 100;

    @Option(names = "--convex-tolerance", description = "MAHA CONVEX, FISTA: stop at this certificate, 0 = run all (default: ${DEFAULT-VALUE}).")
    double convexTolerance = 0;

    @Option(names = "--convex-tau", description = "MAHA CONVEX: ridge tau > 0 (default: ${DEFAULT-VALUE}).")
    double convexTau = 1;

    @Option(names = "--convex-mu", description = "MAHA CONVEX: redundancy weight mu >= 0 (default: ${DEFAULT-VALUE}).")
    double convexMu = 0.5;

    @Option(names = "--convex-gradient", description = "MAHA CONVEX: IMPLICIT or UNROLLED (default: IMPLICIT for ACTIVE_SET, UNROLLED for FISTA).")
    GradientMode convexGradient;

    /** Options with another default width and window (set before picocli reads them). */
    static ModelOptions withDefaults(int width, int window) {
        ModelOptions o = new ModelOptions();
        o.width = width;
        o.window = window;
        return o;
    }

    /** The options' command-line form, every option with its value, e.g. {@code --width=128 --gating=false ...}. */
    public List<String> toArgs() {
        return OptionArgs.of(this);
    }

    /**
     * Reads options written by {@link #toArgs()} (space-separated).
     *
     * @throws IllegalArgumentException if an option is unknown or its value does not parse
     */
    public static ModelOptions parse(String args) {
        return OptionArgs.parse(new ModelOptions(), args, "model options");
    }

    /** The problems with these options for the given models, each naming its option (empty when all are fine). */
    List<String> problems(boolean withMaha) {
        List<String> errors = new ArrayList<>();
        if (heads < 1 || width % Math.max(1, heads) != 0) errors.add("--heads (" + heads + ") must divide --width (" + width + ")");
        if (layers < 1) errors.add("--layers (" + layers + ") must be >= 1");
        if (withMaha) {
            try {
                mahaConfig(0);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    /**
     * The MAHA configuration of block {@code layer} (causal, the given seed).
     *
     * @throws IllegalArgumentException naming every invalid option
     */
    public MahaConfig mahaConfig(long seed) {
        ContestEquilibrium.Options contest = contestSolver == ContestEquilibrium.Solver.EXACT
                ? ContestEquilibrium.Options.exact()
                : ContestEquilibrium.Options.bestResponse(contestIterations, contestDamping);
        if (contestGradient != null) contest = contest.withGradient(contestGradient);
        ConvexAllocation.Options convex = ConvexAllocation.Options.exact().withTau(convexTau).withMu(convexMu)
                .withSolver(convexSolver).withIterations(convexIterations).withTolerance(convexTolerance)
                .withGradientMode(convexGradient != null ? convexGradient
                        : convexSolver == ConvexAllocation.Solver.FISTA ? GradientMode.UNROLLED : GradientMode.IMPLICIT);
        MahaConfig.Builder b = MahaConfig.builder().width(width).heads(heads).scales(scales).ratio(ratio).kernel(kernel)
                .windows(windowList()).causal(true).decomposition(decomposition).dilatedConv(dilatedConv)
                .aggregation(aggregation).contest(contest).convex(convex).valuationEpsilon(valuationEpsilon)
                .gating(gating).preNorm(preNorm).outputProjection(outputProjection).rotary(rotary).rotaryBase(rotaryBase)
                .dropout(dropout).seed(seed);
        if (ffnWidth != null) b.ffnWidth(ffnWidth);
        return b.build();
    }

    private Integer[] windowList() {
        if (windows == null) {
            Integer[] w = new Integer[Math.max(scales, 1)];
            for (int l = 0; l + 1 < w.length; l++) w[l] = window;
            return w;
        }
        String[] parts = windows.split(",");
        Integer[] w = new Integer[parts.length];
        for (int l = 0; l < parts.length; l++) {
            String p = parts[l].trim().toLowerCase(Locale.ROOT);
            try {
                w[l] = p.equals("full") ? MahaConfig.FULL : Integer.valueOf(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--windows: '" + parts[l] + "' is neither a window size nor 'full'");
            }
        }
        return w;
    }

    /**
     * Builds the causal language model: vocabulary {@code vocab}, contexts up to {@code maxLength},
     * learned positions, the given seed, float32.
     *
     * @throws IllegalArgumentException naming every invalid option
     */
    public TransformerModel build(Architecture arch, int vocab, int maxLength, long seed) {
        ModelConfig cfg = ModelConfig.languageModel(vocab, width, maxLength, layers).withDropout(dropout).withSeed(seed);
        if (arch == Architecture.MHSA) {
            if (width % heads != 0) throw new IllegalArgumentException("--heads (" + heads + ") must divide --width (" + width + ")");
            int ffn = ffnWidth != null ? ffnWidth : 4 * width;
            return new TransformerModel(cfg, i -> new StandardBlock(width, heads, ffn, true, null, dropout, cfg.layerSeed(i),
                    cfg.dtype()));
        }
        mahaConfig(seed);                    // validate once, before any block is built
        return new TransformerModel(cfg, i -> new HybridBlock(mahaConfig(cfg.layerSeed(i)), cfg.dtype()));
    }

    /** A short description for logs: the shape, and for MAHA its main knobs. */
    public String describe(Architecture arch) {
        String base = String.format(Locale.ROOT, "%s, width %d, %d layers, %d heads, dropout %s", arch.label(), width, layers,
                heads, dropout);
        if (arch == Architecture.MHSA) return base + ", full causal attention";
        return base + String.format(Locale.ROOT, ", L=%d r=%d windows %s, %s decomposition, %s aggregation%s%s", scales,
                ratio, windows != null ? windows : window + " (coarsest full)", decomposition, aggregation,
                gating ? ", gating" : "", rotary ? ", rotary" : "");
    }
}
