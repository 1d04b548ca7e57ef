package dev.maha.core.nn;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * 1-D convolution over {@code [B, C, L]} (PyTorch's {@code nn.Conv1d}, cross-correlation), with
 * stride, separate left/right zero padding, dilation, and {@code groups} either 1 (full) or
 * {@code in = out} (depthwise: one k-tap filter per channel):
 * <pre>
 * out[b,o,t] = bias[o] + Σ_c Σ_k w[o,c,k] · x[b, c, t·stride + k·dilation − padLeft]   (x = 0 outside [0, L))
 * L_out      = floor((L + padLeft + padRight − dilation·(kernel−1) − 1) / stride) + 1
 * </pre>
 * {@link #causal} builds the causal variant ({@code padLeft = (kernel−1)·dilation, padRight = 0}):
 * output t then depends only on inputs ≤ t·stride. {@link #forwardSequence} takes and returns the
 * library's {@code [B, n, d]} layout.
 *
 * <p>Parameters: {@code weight} [out, in/groups, kernel] and {@code bias} [out] (if enabled), both
 * uniform in ±1/√(in/groups · kernel) as in PyTorch, from a {@link SplittableRandom} seeded with
 * {@code seed} (weight first). Computed by {@link Functional#conv1d} (groups = 1) or
 * {@link Functional#depthwiseConv1d} (depthwise).
 */
public final class Conv1d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padLeft;
    private final int padRight;
    private final int dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A float32 convolution; see {@link #Conv1d(int, int, int, int, int, int, int, int, boolean, long, DataType)}. */
    public Conv1d(int in, int out, int kernel, int stride, int padLeft, int padRight, int dilation, int groups,
                  boolean bias, long seed) {
        this(in, out, kernel, stride, padLeft, padRight, dilation, groups, bias, seed, DataType.FLOAT);
    }

    /**
     * @param in       input channels, ≥ 1
     * @param out      output channels, ≥ 1
     * @param kernel   taps, ≥ 1
     * @param stride   ≥ 1
     * @param padLeft  zeros before the sequence, ≥ 0
     * @param padRight zeros after the sequence, ≥ 0
     * @param dilation spacing of the taps, ≥ 1
     * @param groups   1 (full) or {@code in}, with {@code in = out} (depthwise)
     * @param bias     whether to add a learned bias
     * @param seed     seed of the initialisation
     * @param dtype    floating-point type of the parameters
     */
    public Conv1d(int in, int out, int kernel, int stride, int padLeft, int padRight, int dilation, int groups,
                  boolean bias, long seed, DataType dtype) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || dilation < 1 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("Conv1d: need in, out, kernel, stride, dilation >= 1 and paddings >= 0, got in = "
                    + in + ", out = " + out + ", kernel = " + kernel + ", stride = " + stride + ", padding = (" + padLeft
                    + ", " + padRight + "), dilation = " + dilation);
        }
        if (groups != 1 && !(groups == in && in == out)) {
            throw new IllegalArgumentException("Conv1d: groups must be 1 or in = out (depthwise), got groups = " + groups
                    + " with in = " + in + ", out = " + out);
        }
        Init.requireFloating("Conv1d", dtype);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilation = dilation;
        this.groups = groups;
        int perGroup = in / groups;
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt((double) perGroup * kernel);
        this.weight = registerParameter("weight", Init.parameter(Init.uniform(rng, bound, dtype, out, perGroup, kernel)));
        this.bias = bias ? registerParameter("bias", Init.parameter(Init.uniform(rng, bound, dtype, out))) : null;
    }

    /**
     * A causal float32 convolution with stride 1: {@code padLeft = (kernel−1)·dilation}, no right
     * padding, so {@code L_out = L} and output t sees inputs ≤ t only.
     */
    public static Conv1d causal(int in, int out, int kernel, int dilation, int groups, boolean bias, long seed) {
        return causal(in, out, kernel, 1, dilation, groups, bias, seed, DataType.FLOAT);
    }

    /**
     * A causal convolution: {@code padLeft = (kernel−1)·dilation}, no right padding; output t sees
     * inputs ≤ t·stride only, and {@code L_out = ⌊(L − 1)/stride⌋ + 1}.
     */
    public static Conv1d causal(int in, int out, int kernel, int stride, int dilation, int groups, boolean bias,
                                long seed, DataType dtype) {
        if (kernel < 1 || dilation < 1) {
            throw new IllegalArgumentException("Conv1d.causal: need kernel, dilation >= 1, got kernel = " + kernel
                    + ", dilation = " + dilation);
        }
        return new Conv1d(in, out, kernel, stride, Math.multiplyExact(kernel - 1, dilation), 0, dilation, groups, bias,
                seed, dtype);
    }

    /**
     * @param x [B, in, L]
     * @return [B, out, L_out]
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.size(1) != in) {
            throw new IllegalArgumentException(label() + ": input must be [B, " + in + ", L], got " + Shapes.str(x.shape()));
        }
        if (groups == 1) return Functional.conv1d(x, weight, bias, stride, padLeft, padRight, dilation);
        return Functional.depthwiseConv1d(x, weight, bias, stride, padLeft, padRight, dilation);
    }

    /**
     * The convolution along the sequence axis of the {@code [B, n, d]} layout (transposes around
     * {@link #forward}).
     *
     * @param x [B, n, in]
     * @return [B, n', out] with n' = {@link #outputLength}(n)
     */
    public Tensor forwardSequence(Tensor x) {
        if (x.rank() != 3 || x.size(2) != in) {
            throw new IllegalArgumentException(label() + ".forwardSequence: input must be [B, n, " + in + "], got "
                    + Shapes.str(x.shape()));
        }
        return forward(x.transpose(1, 2)).transpose(1, 2);
    }

    /** {@code L_out} for an input of length {@code length} (≤ 0 when the input is too short). */
    public long outputLength(long length) {
        long span = length + padLeft + padRight - (long) dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** The weight [out, in/groups, kernel]. */
    public Tensor weight() {
        return weight;
    }

    /** The bias [out], or null. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padLeft() {
        return padLeft;
    }

    public int padRight() {
        return padRight;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected String label() {
        return "Conv1d(" + in + " -> " + out + ", kernel " + kernel + ", stride " + stride + ", padding (" + padLeft + ", "
                + padRight + "), dilation " + dilation + (groups != 1 ? ", depthwise" : "") + ")";
    }
}
