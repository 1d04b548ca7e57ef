package dev.maha.autograd;

import dev.maha.autograd.ops.AvgPool1d;
import dev.maha.autograd.ops.Conv1d;
import dev.maha.autograd.ops.CrossEntropy;
import dev.maha.autograd.ops.DepthwiseConv1d;
import dev.maha.autograd.ops.Dropout;
import dev.maha.autograd.ops.Embedding;
import dev.maha.autograd.ops.LayerNorm;
import dev.maha.autograd.ops.MaxPool1d;

/**
 * Static entry points for the ops that take several tensors or optional parameters (normalization,
 * lookup, losses, convolution, pooling, dropout). Each method applies ONE fused op of
 * {@code dev.maha.autograd.ops} through {@link Tensor#apply}; the math and the shape checks live
 * there. Shapes are written {@code [B, C, L]} (batch, channels, length) for sequences, as PyTorch's
 * {@code torch.nn.functional} does.
 *
 * <pre>{@code
 * Tensor h = Functional.layerNorm(x, gamma, beta, 1e-5);      // x [B, N, d] → [B, N, d]
 * Tensor c = Functional.conv1d(s, w, b, 1, 2, 2);             // s [B, d, N], w [d, d, 3] → [B, d, N] (dilation 2)
 * Tensor loss = Functional.crossEntropy(logits, targets);     // [N, C] and int64 [N] → rank 0
 * }</pre>
 */
public final class Functional {
    private Functional() {
    }

    // ------------------------------------------------------------------ normalization

    /**
     * Layer normalization over the last axis with biased variance:
     * {@code (x − mean) / sqrt(var + eps) ⊙ weight + bias}.
     *
     * @param x      [..., d]
     * @param weight [d], or null for no scaling
     * @param bias   [d], or null for no shift
     * @param eps    added to the variance (PyTorch's default is 1e-5)
     * @return [..., d]
     */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        Op op = new LayerNorm(eps, weight != null, bias != null);
        if (weight != null && bias != null) return Tensor.apply(op, x, weight, bias);
        if (weight != null) return Tensor.apply(op, x, weight);
        if (bias != null) return Tensor.apply(op, x, bias);
        return Tensor.apply(op, x);
    }

    // ------------------------------------------------------------------ lookup

    /**
     * Embedding lookup {@code out[i..., :] = table[indices[i...], :]}; the table's gradient
     * scatter-adds over repeated indices (unused rows get 0).
     *
     * @param table   [V, d]
     * @param indices [...] int32 or int64, each in [0, V)
     * @return [..., d]
     */
    public static Tensor embedding(Tensor table, Tensor indices) {
        return Tensor.apply(new Embedding(), table, indices);
    }

    // ------------------------------------------------------------------ losses

    /**
     * Mean softmax cross-entropy, {@code mean_r(logsumexp(z_r) − z_r[t_r])}, computed stably.
     *
     * @param logits  [N, C] (or [..., C])
     * @param targets [N] (or [...]) int32 or int64 class indices in [0, C)
     * @return the loss, rank 0
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return Tensor.apply(new CrossEntropy(), logits, targets);
    }

    /**
     * Mean softmax cross-entropy over the rows whose target is not {@code ignoreIndex} (ignored rows
     * add nothing and get a zero gradient). If every row is ignored the loss is 0 and the gradient 0.
     *
     * @param logits      [N, C] (or [..., C])
     * @param targets     [N] (or [...]) int32 or int64: class indices in [0, C), or {@code ignoreIndex}
     * @param ignoreIndex the target value to skip (PyTorch's default is −100)
     * @return the loss, rank 0
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, long ignoreIndex) {
        return Tensor.apply(new CrossEntropy(ignoreIndex), logits, targets);
    }

    // ------------------------------------------------------------------ regularization

    /**
     * Inverted dropout: zeroes each element with probability {@code p} and scales the others by
     * {@code 1/(1 − p)}; the mask comes from an ND4J generator seeded with {@code seed}, so the same
     * seed gives the same mask. In evaluation mode or with {@code p = 0} it is the identity (the
     * result shares x's value).
     *
     * @param x        [...]
     * @param p        drop probability in [0, 1)
     * @param seed     seed of the mask
     * @param training false (evaluation) makes it the identity
     * @return [...], x's shape
     */
    public static Tensor dropout(Tensor x, double p, long seed, boolean training) {
        return Tensor.apply(new Dropout(p, seed, training), x);
    }

    // ------------------------------------------------------------------ convolution

    /**
     * 1-D convolution (PyTorch semantics: cross-correlation) with separate left and right zero
     * padding: {@code out[b,o,t] = bias[o] + Σ_c Σ_k w[o,c,k] · x[b, c, t·stride + k·dilation − padLeft]}.
     * A causal convolution is {@code padLeft = (K−1)·dilation, padRight = 0}.
     *
     * @param x        [B, C_in, L]
     * @param w        [C_out, C_in, K]
     * @param bias     [C_out], or null
     * @param stride   ≥ 1
     * @param padLeft  zeros before the sequence, ≥ 0
     * @param padRight zeros after the sequence, ≥ 0
     * @param dilation ≥ 1
     * @return [B, C_out, L_out] with {@code L_out = floor((L + padLeft + padRight − dilation·(K−1) − 1)/stride) + 1}
     */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padLeft, int padRight, int dilation) {
        Op op = new Conv1d(stride, padLeft, padRight, dilation, bias != null);
        return bias != null ? Tensor.apply(op, x, w, bias) : Tensor.apply(op, x, w);
    }

    /**
     * 1-D convolution with symmetric zero padding, exactly PyTorch's {@code conv1d(x, w, bias,
     * stride, padding, dilation)} with {@code groups = 1}.
     *
     * @param x        [B, C_in, L]
     * @param w        [C_out, C_in, K]
     * @param bias     [C_out], or null
     * @param stride   ≥ 1
     * @param padding  zeros on each side, ≥ 0
     * @param dilation ≥ 1
     * @return [B, C_out, L_out] with {@code L_out = floor((L + 2·padding − dilation·(K−1) − 1)/stride) + 1}
     */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation) {
        return conv1d(x, w, bias, stride, padding, padding, dilation);
    }

    /**
     * Depthwise 1-D convolution (PyTorch {@code conv1d} with {@code groups = C}): each channel has its
     * own kernel, {@code out[b,c,t] = bias[c] + Σ_k w[c,k] · x[b, c, t·stride + k·dilation − padLeft]}.
     *
     * @param x        [B, C, L]
     * @param w        [C, 1, K] (PyTorch layout) or [C, K]
     * @param bias     [C], or null
     * @param stride   ≥ 1
     * @param padLeft  zeros before the sequence, ≥ 0
     * @param padRight zeros after the sequence, ≥ 0
     * @param dilation ≥ 1
     * @return [B, C, L_out], L_out as for {@link #conv1d(Tensor, Tensor, Tensor, int, int, int, int)}
     */
    public static Tensor depthwiseConv1d(Tensor x, Tensor w, Tensor bias, int stride, int padLeft, int padRight,
                                         int dilation) {
        Op op = new DepthwiseConv1d(stride, padLeft, padRight, dilation, bias != null);
        return bias != null ? Tensor.apply(op, x, w, bias) : Tensor.apply(op, x, w);
    }

    // ------------------------------------------------------------------ pooling

    /**
     * 1-D max pooling (PyTorch {@code max_pool1d}, floor mode): windows of {@code kernel} elements
     * every {@code stride}, with {@code padding} −∞ elements on each side ({@code padding ≤ kernel/2}).
     * The gradient goes to the arg-max of each window (the first on ties).
     *
     * @param x [B, C, L]
     * @return [B, C, L_out] with {@code L_out = floor((L + 2·padding − kernel)/stride) + 1}
     */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding) {
        return Tensor.apply(new MaxPool1d(kernel, stride, padding), x);
    }

    /**
     * 1-D average pooling (PyTorch {@code avg_pool1d} defaults: floor mode, zero padding counted in
     * the divisor, so every window divides by {@code kernel}); {@code padding ≤ kernel/2}.
     *
     * @param x [B, C, L]
     * @return [B, C, L_out] with {@code L_out = floor((L + 2·padding − kernel)/stride) + 1}
     */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding) {
        return Tensor.apply(new AvgPool1d(kernel, stride, padding), x);
    }

    // ------------------------------------------------------------------ affine

    /**
     * Affine map with PyTorch's weight layout, {@code y = x · weightᵀ + bias}, as ONE fused op (one
     * GEMM forward, two backward; no transposed copy of the weight).
     *
     * @param x      [..., in]
     * @param weight [out, in]
     * @param bias   [out], or null
     * @return [..., out]
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Op op = new dev.maha.autograd.ops.Linear(bias != null);
        return bias != null ? Tensor.apply(op, x, weight, bias) : Tensor.apply(op, x, weight);
    }
}
