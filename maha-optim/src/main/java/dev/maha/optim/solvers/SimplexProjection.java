package dev.maha.optim.solvers;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euclidean projection onto the probability simplex, batched over the leading axes:
 * {@code w = argmin_{w ∈ Δ} ‖w − s‖²} for each instance {@code s ∈ R^L} of an input {@code [..., L]}.
 *
 * <pre>{@code
 * Tensor w = SimplexProjection.project(s);          // [..., L] → [..., L], rows on the simplex
 * Tensor w = SimplexProjection.project(s, mask);    // mask [..., L]: absent scales get exactly 0
 * }</pre>
 *
 * <p>Exact: the sort-based algorithm of Held, Wolfe and Crowder (1974) / Duchi et al. (2008), see
 * {@link SimplexKernel}; the output's rows sum to 1 to machine precision and hold exact zeros.
 *
 * <p>Mask: an optional availability mask {@code [..., L]} (BOOL, or numeric with nonzero =
 * available), of exactly the input's shape. Unavailable entries are removed from the problem (the
 * available ones are projected onto the simplex of their own dimension) and get weight 0 and
 * gradient 0. An instance with no available entry returns all zeros and gradient 0.
 *
 * <p>Gradient: the closed-form Jacobian. On the support {@code S = {i : w_i > 0}} the map is
 * locally {@code w_S = s_S − θ}, with θ fixed by {@code 1ᵀw = 1}, so the vector-Jacobian product is
 * {@code ds_S = g_S − mean(g_S)} and 0 off the support. This is at once the derivative of the
 * algorithm and the implicit derivative of the optimality conditions, so the two
 * {@link GradientMode}s coincide for this op and it takes none. At ties {@code s_i = θ} (a kink)
 * the entry counts as off the support.
 *
 * <p>Inputs float32 or float64; the computation is in double and the output has the input's type.
 * NaN or ±Inf inputs are rejected with an {@link IllegalArgumentException}.
 */
public final class SimplexProjection implements Op {
    /** Name used by errors and FLOP reports. */
    public static final String NAME = "simplex_projection";

    private final String name;
    private final String field;
    private final boolean[] available;

    private SimplexProjection(String name, String field, boolean[] available) {
        this.name = name;
        this.field = field;
        this.available = available;
    }

    /** Projects every row {@code s[..., :]} onto the simplex. */
    public static Tensor project(Tensor s) {
        return project(s, null);
    }

    /** Projects the available entries of every row onto the simplex; {@code mask} may be null (all available). */
    public static Tensor project(Tensor s, Tensor mask) {
        return apply(NAME, "s", s, mask);
    }

    /** Shared by {@link Sparsemax}: the same op under another name (for error messages). */
    static Tensor apply(String name, String field, Tensor x, Tensor mask) {
        if (x == null) throw new IllegalArgumentException(name + ": " + field + " is null");
        boolean[] available = mask == null ? null : Instances.mask(name, mask.value(), x.shape());
        return Tensor.apply(new SimplexProjection(name, field, available), x);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        int len = Instances.lastDim(name, field, x);
        double[] v = Instances.read(name, field, x);
        double[] w = new double[v.length];
        double[] a = new double[len];
        double[] b = new double[len];
        double[] u = new double[len];
        int[] idx = new int[len];
        for (int off = 0; off < v.length; off += len) {
            int m = gather(v, off, len, idx, a);
            if (m == 0) continue;
            SimplexKernel.project(a, m, b, u);
            for (int k = 0; k < m; k++) w[off + idx[k]] = b[k];
        }
        ctx.flops(8L * v.length);
        ctx.put("w", w);
        return Instances.write(w, x.shape(), x.dataType());
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray grad) {
        double[] w = ctx.get("w");
        double[] g = Instances.toDoubles(grad);
        int len = (int) grad.size(-1);
        double[] dv = new double[w.length];
        double[] wc = new double[len];
        double[] gc = new double[len];
        double[] dc = new double[len];
        int[] idx = new int[len];
        for (int off = 0; off < w.length; off += len) {
            int m = gather(w, off, len, idx, wc);
            for (int k = 0; k < m; k++) gc[k] = g[off + idx[k]];
            SimplexKernel.vjp(wc, gc, m, dc);
            for (int k = 0; k < m; k++) dv[off + idx[k]] = dc[k];
        }
        ctx.flops(3L * w.length);
        return new INDArray[] {Instances.write(dv, grad.shape(), grad.dataType())};
    }

    /** Copies the available entries of the instance at {@code off} into {@code out}; returns their count. */
    private int gather(double[] v, int off, int len, int[] idx, double[] out) {
        int m = 0;
        for (int i = 0; i < len; i++) {
            if (available == null || available[off + i]) {
                idx[m] = i;
                out[m++] = v[off + i];
            }
        }
        return m;
    }
}
