package dev.maha.core.maha;

import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cross-scale gating (spec §5, the paper's Eq. 12), applied to the decomposed inputs before attention,
 * from the coarsest level upward: for l = L−2 down to 0,
 * <pre>
 *   U   = U_{l+1→l}(X_{l+1})                          (the already gated X_{l+1}, upsampled by r)
 *   z_l = σ([X_l ; U] W_gᵀ + b_g)                      W_g [d, 2d], b_g [d] (Linear layout, [out, in])
 *   X_l ← z_l ⊙ X_l + (1 − z_l) ⊙ U
 * </pre>
 * U_{l+1→l} is {@link Upsampling#upsample} with level 1 between adjacent levels: nearest when non-causal;
 * causal {@code U[i] = X_{l+1}[⌊(i+1)/r⌋ − 1]}, zero where that index is negative. The formula is applied
 * as written at every position, also where the coarser level is unavailable (U = 0 there, so
 * {@code X_l ← z_l ⊙ X_l}) and when it is empty; an empty X_l is left as it is. Causal gating is
 * leak-free: X_{l+1}[j] depends on level-l tokens ≤ (j+1)·r − 1 ≤ i.
 */
public final class Gating {
    private Gating() {
    }

    /**
     * @param xs      X_0..X_{L−1}, each {@code [B, n_l, d]} with the pyramid's lengths for ratio r
     * @param weights L−1 gate weights W_g {@code [d, 2d]}; entry l gates level l
     * @param biases  L−1 gate biases b_g {@code [d]} (entries may be null), or null
     * @param r       the ratio ≥ 2
     * @param causal  the causal upsampling rule
     * @return the gated levels (a new list; the coarsest level is {@code xs.get(L−1)} itself)
     */
    public static List<Tensor> gate(List<Tensor> xs, List<Tensor> weights, List<Tensor> biases, int r, boolean causal) {
        if (xs == null || xs.isEmpty()) throw new IllegalArgumentException("gating: xs must hold at least one level");
        int scales = xs.size();
        if (weights == null || weights.size() != scales - 1) {
            throw new IllegalArgumentException("gating: weights has " + (weights == null ? "null" : weights.size())
                    + " entries but scales − 1 is " + (scales - 1));
        }
        if (biases != null && biases.size() != scales - 1) {
            throw new IllegalArgumentException("gating: biases has " + biases.size() + " entries but scales − 1 is " + (scales - 1));
        }
        if (r < 2) throw new IllegalArgumentException("gating: ratio r (" + r + ") must be >= 2");
        Tensor x0 = xs.get(0);
        if (x0 == null || x0.rank() != 3) {
            throw new IllegalArgumentException("gating: X_0 must be [B, n, d], got " + (x0 == null ? "null" : Arrays.toString(x0.shape())));
        }
        long b = x0.size(0);
        long d = x0.size(2);
        for (int l = 0; l < scales; l++) {
            Tensor x = xs.get(l);
            long expected = ScaleLengths.at(Math.toIntExact(x0.size(1)), l, r, causal);
            if (x == null || x.rank() != 3 || x.size(0) != b || x.size(1) != expected || x.size(2) != d) {
                throw new IllegalArgumentException("gating: X_" + l + " must be [" + b + ", " + expected + ", " + d + "], got "
                        + (x == null ? "null" : Arrays.toString(x.shape())));
            }
        }
        for (int l = 0; l < scales - 1; l++) {
            Tensor w = weights.get(l);
            if (w == null || w.rank() != 2 || w.size(0) != d || w.size(1) != 2 * d) {
                throw new IllegalArgumentException("gating: weights[" + l + "] must be [" + d + ", " + 2 * d + "], got "
                        + (w == null ? "null" : Arrays.toString(w.shape())));
            }
            Tensor bias = biases == null ? null : biases.get(l);
            if (bias != null && (bias.rank() != 1 || bias.size(0) != d)) {
                throw new IllegalArgumentException("gating: biases[" + l + "] must be [" + d + "], got " + Arrays.toString(bias.shape()));
            }
        }

        List<Tensor> out = new ArrayList<>(xs);
        for (int l = scales - 2; l >= 0; l--) {
            Tensor x = out.get(l);
            if (Downsampling.isEmpty(x)) continue;
            Tensor u = Upsampling.upsample(out.get(l + 1), 1, Math.toIntExact(x.size(1)), 1, r, causal);   // [B, n_l, d]
            Tensor logits = Tensor.concat(2, x, u).matmul(weights.get(l).transpose(0, 1));              // [B, n_l, d]
            Tensor bias = biases == null ? null : biases.get(l);
            if (bias != null) logits = logits.add(bias);
            Tensor z = logits.sigmoid();
            out.set(l, u.add(z.mul(x.sub(u))));                                                          // z⊙x + (1−z)⊙u
        }
        return out;
    }
}
