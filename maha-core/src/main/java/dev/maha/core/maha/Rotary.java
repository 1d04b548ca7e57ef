package dev.maha.core.maha;

import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotary position embedding per scale (spec §6: "per-scale rotary with positions scaled by R_l"):
 * token j of a scale with composite ratio R sits at position {@code p_j = j·R}, and each head's vector
 * is rotated pairwise, in the "rotate half" layout: with {@code x = [x₁ ; x₂]} (halves of d_h) and
 * frequencies {@code f_i = θ^(−2i/d_h)}, i = 0..d_h/2 − 1,
 * <pre>
 *   rot(x)_j = [x₁ ⊙ cos(p_j f) − x₂ ⊙ sin(p_j f) ; x₂ ⊙ cos(p_j f) + x₁ ⊙ sin(p_j f)].
 * </pre>
 * Applied to queries and keys, the score ⟨rot(q)_j, rot(k)_{j'}⟩ depends on positions only through
 * {@code p_j − p_{j'} = (j − j')·R}, so all scales measure offsets in input tokens. Composed of engine ops
 * (narrow, mul, sub, add, concat); the angles are constants.
 */
public final class Rotary {
    private Rotary() {
    }

    /**
     * @param x    {@code [B, h, m, d_h]} with d_h even
     * @param step the position step R ≥ 1 (token j is at j·R)
     * @param base θ > 1
     * @return {@code [B, h, m, d_h]}
     */
    public static Tensor apply(Tensor x, long step, double base) {
        if (x == null || x.rank() != 4 || x.size(3) % 2 != 0) {
            throw new IllegalArgumentException("Rotary: input must be [B, h, m, d_h] with even d_h, got "
                    + (x == null ? "null" : Shapes.str(x.shape())));
        }
        if (step < 1) throw new IllegalArgumentException("Rotary: step (" + step + ") must be >= 1");
        if (!(base > 1) || !Double.isFinite(base)) throw new IllegalArgumentException("Rotary: base (" + base + ") must be finite and > 1");
        long m = x.size(2);
        int half = Math.toIntExact(x.size(3) / 2);
        if (m == 0) return x;
        double[] cos = new double[Math.toIntExact(m * half)];
        double[] sin = new double[cos.length];
        for (int j = 0; j < m; j++) {
            double p = (double) j * step;
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(base, -2.0 * i / (2.0 * half));
                cos[j * half + i] = Math.cos(angle);
                sin[j * half + i] = Math.sin(angle);
            }
        }
        DataType dt = x.dtype();
        Tensor c = Tensor.owning(Nd4j.create(cos, new long[] {m, half}, dt));
        Tensor s = Tensor.owning(Nd4j.create(sin, new long[] {m, half}, dt));
        Tensor x1 = x.narrow(3, 0, half);
        Tensor x2 = x.narrow(3, half, half);
        return Tensor.concat(3, x1.mul(c).sub(x2.mul(s)), x2.mul(c).add(x1.mul(s)));
    }
}
