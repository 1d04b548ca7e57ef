package dev.maha.core.maha;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hierarchical decomposition of spec §1 as functions over tensors: one level
 * {@code X_l = D_l(X_{l−1})} ({@link #downsample}) and the whole pyramid X_0..X_{L−1} ({@link #pyramid}).
 * Activations are {@code [B, n, d]}; the convolution and pooling ops of maha-autograd work on
 * {@code [B, d, n]}, so each level transposes in and out (views).
 *
 * <p><b>Non-causal</b> (n_l = ⌈n/r⌉, {@link ScaleLengths}):
 * <ul>
 *   <li>CONV / DEPTHWISE: stride r, symmetric zero padding ⌊k/2⌋ (odd k): coarse token j reads fine tokens
 *       {@code j·r − ⌊k/2⌋ .. j·r + ⌊k/2⌋}; with k = 3 this is the reference code's
 *       {@code Conv1d(k=3, stride=r, padding=1)}.</li>
 *   <li>MAX_POOL / AVG_POOL: blocks {@code j·r .. j·r + r − 1}. When r does not divide n the sequence is
 *       padded at the tail to ⌈n/r⌉·r, with −∞ for max pooling (the padding never wins) and with zeros for
 *       average pooling followed by a rescaling of the last block by {@code r/(its real tokens)}: the last,
 *       partial block is the mean of the tokens it has (as PyTorch's {@code avg_pool1d} with
 *       {@code ceil_mode=True}).</li>
 * </ul>
 * <p><b>Causal</b> (n_l = ⌊n/r⌋): only complete blocks. The input is first cut to its
 * {@code m = ⌊n/r⌋·r} leading tokens (an incomplete trailing block is dropped), then
 * <ul>
 *   <li>CONV / DEPTHWISE: stride r, left zero padding {@code p = max(0, k − r)}, no right padding: coarse
 *       token j reads fine tokens {@code j·r − p .. j·r − p + k − 1 ≤ (j+1)·r − 1};</li>
 *   <li>MAX_POOL / AVG_POOL: blocks {@code j·r .. (j+1)·r − 1}.</li>
 * </ul>
 * Coarse token j therefore sees fine tokens ≤ (j+1)·r − 1 and nothing later; by induction the token j of
 * level l sees input tokens ≤ (j+1)·r^l − 1.
 *
 * <p><b>Empty levels.</b> In causal mode a level with n_l = 0 is returned as a constant tensor of shape
 * {@code [B, 0, d]} with no history (it has no elements, so nothing flows back through it). Every coarser
 * level is empty too. Callers skip empty levels ({@link #isEmpty}); {@link Upsampling#upsample} maps an
 * empty level to zeros.
 */
public final class Downsampling {
    private Downsampling() {
    }

    /**
     * One level of the decomposition, {@code X_l = D_l(X_{l−1})}.
     *
     * @param x      {@code [B, n, d]} (n may be 0: the result is then empty)
     * @param weight CONV: {@code [d, d, k]}; DEPTHWISE: {@code [d, 1, k]} (or {@code [d, k]}); pooling: null
     * @param bias   {@code [d]} or null for the convolutions; null for pooling
     * @param mode   the operator
     * @param r      the ratio (stride) ≥ 2
     * @param k      the convolution kernel ≥ 1, odd when non-causal (ignored by pooling)
     * @param causal the causal rule (complete blocks, left padding) or the non-causal one
     * @return {@code [B, n_l, d]} with {@code n_l = ⌈n/r⌉} (non-causal) or {@code ⌊n/r⌋} (causal)
     */
    public static Tensor downsample(Tensor x, Tensor weight, Tensor bias, Decomposition mode, int r, int k, boolean causal) {
        checkArguments(x, weight, bias, mode, r, k, causal);
        long b = x.size(0);
        long n = x.size(1);
        long d = x.size(2);
        long nl = ScaleLengths.next(Math.toIntExact(n), r, causal);
        if (nl == 0) return Tensor.zeros(x.dtype(), b, 0, d);

        Tensor xt;
        if (causal) {
            long m = nl * r;
            xt = (m < n ? x.narrow(1, 0, m) : x).transpose(1, 2);                     // [B, d, m]
        } else {
            xt = x.transpose(1, 2);                                                    // [B, d, n]
        }
        Tensor out;
        switch (mode) {
            case CONV, DEPTHWISE -> {
                int padLeft = causal ? Math.max(0, k - r) : k / 2;
                int padRight = causal ? 0 : k / 2;
                out = mode == Decomposition.CONV
                        ? Functional.conv1d(xt, weight, bias, r, padLeft, padRight, 1)
                        : Functional.depthwiseConv1d(xt, weight, bias, r, padLeft, padRight, 1);
            }
            case MAX_POOL, AVG_POOL -> {
                long tail = causal ? 0 : nl * r - n;
                boolean max = mode == Decomposition.MAX_POOL;
                Tensor xp = tail == 0 ? xt : xt.pad(2, 0, tail, max ? Double.NEGATIVE_INFINITY : 0.0);
                out = max ? Functional.maxPool1d(xp, r, r, 0) : Functional.avgPool1d(xp, r, r, 0);
                if (!max && tail > 0) {
                    double[] scale = new double[Math.toIntExact(nl)];
                    Arrays.fill(scale, 1.0);
                    scale[scale.length - 1] = (double) r / (r - tail);
                    out = out.mul(Tensor.owning(Nd4j.create(scale, new long[] {1, 1, nl}, x.dtype())));
                }
            }
            default -> throw new IllegalStateException("downsample: unknown mode " + mode);
        }
        return out.transpose(1, 2);                                                     // [B, n_l, d]
    }

    /**
     * The pyramid X_0..X_{L−1} of spec §1 with the configuration's operator, ratio, kernel and causality.
     *
     * @param x0      {@code [B, n, d]}, the block's conv features C
     * @param weights L−1 per-level weights (level l uses entry l−1), or null for pooling
     * @param biases  L−1 per-level biases (entries may be null), or null
     * @return L tensors {@code [B, n_l, d]}, the first being {@code x0} itself
     */
    public static List<Tensor> pyramid(Tensor x0, List<Tensor> weights, List<Tensor> biases, MahaConfig config) {
        if (config == null) throw new IllegalArgumentException("pyramid: config is null");
        return pyramid(x0, weights, biases, config.decomposition(), config.scales(), config.ratio(), config.kernel(),
                config.causal());
    }

    /**
     * The pyramid X_0..X_{L−1} with explicit settings.
     *
     * @param x0      {@code [B, n, d]}
     * @param weights L−1 per-level weights, or null for pooling
     * @param biases  L−1 per-level biases (entries may be null), or null
     * @param mode    the operator
     * @param scales  L ≥ 1
     * @param r       the ratio ≥ 2
     * @param k       the kernel ≥ 1 (odd when non-causal)
     * @param causal  the causal rule
     * @return L tensors {@code [B, n_l, d]}; in causal mode levels with n_l = 0 are empty {@code [B, 0, d]}
     */
    public static List<Tensor> pyramid(Tensor x0, List<Tensor> weights, List<Tensor> biases, Decomposition mode,
                                       int scales, int r, int k, boolean causal) {
        if (x0 == null) throw new IllegalArgumentException("pyramid: input x0 is null");
        if (mode == null) throw new IllegalArgumentException("pyramid: mode is null");
        if (scales < 1) throw new IllegalArgumentException("pyramid: scales (" + scales + ") must be >= 1");
        int levels = scales - 1;
        if (mode.hasWeights()) {
            if (weights == null || weights.size() != levels) {
                throw new IllegalArgumentException("pyramid: " + mode + " needs " + levels + " weights (one per level 1.."
                        + levels + "), got " + (weights == null ? "null" : weights.size()));
            }
        } else if (weights != null && weights.stream().anyMatch(w -> w != null)) {
            throw new IllegalArgumentException("pyramid: " + mode + " has no weights, got " + weights.size() + " entries");
        }
        if (biases != null && biases.size() != levels) {
            throw new IllegalArgumentException("pyramid: biases has " + biases.size() + " entries but scales − 1 is " + levels);
        }
        List<Tensor> out = new ArrayList<>(scales);
        out.add(x0);
        for (int l = 1; l < scales; l++) {
            Tensor w = weights == null ? null : weights.get(l - 1);
            Tensor bias = biases == null ? null : biases.get(l - 1);
            out.add(downsample(out.get(l - 1), w, bias, mode, r, k, causal));
        }
        return out;
    }

    /** Whether a level is empty (length 0 along axis 1), as causal decomposition returns for n_l = 0. */
    public static boolean isEmpty(Tensor level) {
        return level.size(1) == 0;
    }

    private static void checkArguments(Tensor x, Tensor weight, Tensor bias, Decomposition mode, int r, int k, boolean causal) {
        if (x == null) throw new IllegalArgumentException("downsample: input x is null");
        if (mode == null) throw new IllegalArgumentException("downsample: mode is null");
        if (x.rank() != 3) {
            throw new IllegalArgumentException("downsample: input must be [B, n, d] (rank 3), got " + Arrays.toString(x.shape()));
        }
        if (!x.dtype().isFPType()) throw new IllegalArgumentException("downsample: input must be floating point, got " + x.dtype());
        if (r < 2) throw new IllegalArgumentException("downsample: ratio r (" + r + ") must be >= 2");
        long d = x.size(2);
        if (mode.hasWeights()) {
            if (k < 1) throw new IllegalArgumentException("downsample: kernel k (" + k + ") must be >= 1");
            if (!causal && k % 2 == 0) {
                throw new IllegalArgumentException("downsample: kernel k (" + k + ") must be odd when non-causal (symmetric padding "
                        + k / 2 + " keeps n_l = ceil(n/r) only for odd k)");
            }
            if (weight == null) throw new IllegalArgumentException("downsample: " + mode + " needs a weight, got null");
            long[] ws = weight.shape();
            boolean ok = mode == Decomposition.CONV
                    ? ws.length == 3 && ws[0] == d && ws[1] == d && ws[2] == k
                    : (ws.length == 3 && ws[0] == d && ws[1] == 1 && ws[2] == k) || (ws.length == 2 && ws[0] == d && ws[1] == k);
            if (!ok) {
                throw new IllegalArgumentException("downsample: " + mode + " weight must be "
                        + (mode == Decomposition.CONV ? "[" + d + ", " + d + ", " + k + "]" : "[" + d + ", 1, " + k + "]")
                        + " for input " + Arrays.toString(x.shape()) + " and kernel " + k + ", got " + Arrays.toString(ws));
            }
            if (bias != null && (bias.rank() != 1 || bias.size(0) != d)) {
                throw new IllegalArgumentException("downsample: bias must be [" + d + "] for input " + Arrays.toString(x.shape())
                        + ", got " + Arrays.toString(bias.shape()));
            }
        } else if (weight != null || bias != null) {
            throw new IllegalArgumentException("downsample: " + mode + " has no parameters, got weight "
                    + (weight == null ? "null" : Arrays.toString(weight.shape())) + " and bias "
                    + (bias == null ? "null" : Arrays.toString(bias.shape())));
        }
    }
}
