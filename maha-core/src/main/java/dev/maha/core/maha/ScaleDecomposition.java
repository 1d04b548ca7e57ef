package dev.maha.core.maha;

import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.nn.Conv1d;
import dev.maha.core.nn.Module;
import dev.maha.core.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The learnable decomposition of spec §1 as a module: the per-level downsampling weights, applied by
 * {@link Downsampling#pyramid} with the configuration's operator, ratio, kernel and causal rule.
 *
 * <p>Parameters ({@code ModuleList downsamplers}, level l = 1..L−1 uses entry l − 1):
 * <ul>
 *   <li>CONV: {@code downsamplers.{i}.weight} [d, d, k] and {@code .bias} [d] (the reference code's names and
 *       layout);</li>
 *   <li>DEPTHWISE: {@code downsamplers.{i}.weight} [d, 1, k] and {@code .bias} [d];</li>
 *   <li>MAX_POOL, AVG_POOL: none (the list is empty).</li>
 * </ul>
 * Each entry is a {@link Conv1d} (PyTorch's default initialisation, its padding set to the rule in use), but
 * the forward pass goes through {@link Downsampling#downsample}, which also applies the causal rule's
 * "complete blocks only" cut.
 *
 * <p>MAHA applies the same decomposition twice per forward pass: to the conv features C (the X pyramid) and
 * to the shared values C·W^V (the V pyramid, spec §2); the weights' gradients are the total over both uses.
 */
public final class ScaleDecomposition extends Module {
    private final MahaConfig config;
    private final ModuleList<Conv1d> downsamplers;

    /** float32 parameters. */
    public ScaleDecomposition(MahaConfig config, long seed) {
        this(config, seed, DataType.FLOAT);
    }

    /**
     * @param config the layer's configuration (width, scales, ratio, kernel, causal, decomposition)
     * @param seed   seed of the initialisation (level i uses a seed drawn from it in order)
     * @param dtype  floating-point type of the parameters
     */
    public ScaleDecomposition(MahaConfig config, long seed, DataType dtype) {
        if (config == null) throw new IllegalArgumentException("ScaleDecomposition: config is null");
        this.config = config;
        this.downsamplers = registerModule("downsamplers", new ModuleList<>());
        Decomposition mode = config.decomposition();
        if (mode.hasWeights()) {
            SplittableRandom rng = new SplittableRandom(seed);
            int d = config.width();
            int k = config.kernel();
            int r = config.ratio();
            int padLeft = config.causal() ? Math.max(0, k - r) : k / 2;
            int padRight = config.causal() ? 0 : k / 2;
            int groups = mode == Decomposition.CONV ? 1 : d;
            for (int i = 0; i + 1 < config.scales(); i++) {
                downsamplers.add(new Conv1d(d, d, k, r, padLeft, padRight, 1, groups, true, rng.nextLong(), dtype));
            }
        }
    }

    /**
     * The pyramid X_0..X_{L−1}.
     *
     * @param x {@code [B, n, d]}
     * @return L tensors {@code [B, n_l, d]}, the first being {@code x} itself; in causal mode a level with
     *     n_l = 0 is an empty {@code [B, 0, d]} tensor
     */
    public List<Tensor> forward(Tensor x) {
        List<Tensor> weights = null;
        List<Tensor> biases = null;
        if (config.decomposition().hasWeights()) {
            weights = new ArrayList<>(downsamplers.size());
            biases = new ArrayList<>(downsamplers.size());
            for (Conv1d c : downsamplers) {
                weights.add(c.weight());
                biases.add(c.bias());
            }
        }
        return Downsampling.pyramid(x, weights, biases, config);
    }

    /** The per-level convolutions (empty for pooling). */
    public ModuleList<Conv1d> downsamplers() {
        return downsamplers;
    }

    /** The configuration. */
    public MahaConfig config() {
        return config;
    }

    @Override
    protected String label() {
        return "ScaleDecomposition(" + config.decomposition() + ", L = " + config.scales() + ", r = " + config.ratio() + ")";
    }
}
