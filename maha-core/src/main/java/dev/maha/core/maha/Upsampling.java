package dev.maha.core.maha;

import dev.maha.autograd.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Upsampling of a scale's output back to the input length n (spec §3), along any axis, so that it
 * serves {@code [B, n_l, d]} activations as well as per-head {@code [B, h, n_l, d_h]} outputs.
 *
 * <ul>
 *   <li>Non-causal, nearest as PyTorch 1.13's {@code interpolate(mode="nearest")}:
 *       {@code U(O)[i] = O[(i·n_l) div n]} ({@link Tensor#upsampleNearest}).</li>
 *   <li>Causal: {@code U(O)[i] = O[⌊(i+1)/R⌋ − 1]} with {@code R = r^level}: the newest coarse token that is
 *       complete at position i (coarse token j covers input tokens ≤ (j+1)·R − 1). Where the index is
 *       negative ({@code i < R − 1}) the scale is unavailable: the output there is zero and
 *       {@link #availability} is false. Computed by one op ({@link CausalUpsample}) that copies rows
 *       forward and sums the R rows that read each coarse row backward.</li>
 * </ul>
 * An empty level (n_l = 0, causal only) upsamples to constant zeros with no history.
 */
public final class Upsampling {
    private Upsampling() {
    }

    /**
     * @param o      a scale's output, length n_l along {@code axis} (for example {@code [B, n_l, d]} with axis 1,
     *               or {@code [B, h, n_l, d_h]} with axis 2); n_l must be the length of {@code level} for input
     *               length n ({@link ScaleLengths#at})
     * @param axis   the length axis (negative counts from the end)
     * @param n      the target length ≥ 1
     * @param level  the scale l ≥ 0 (R = r^l); level 0 returns {@code o} itself
     * @param r      the ratio ≥ 2
     * @param causal the causal rule
     * @return {@code o}'s shape with length n along {@code axis}
     */
    public static Tensor upsample(Tensor o, int axis, int n, int level, int r, boolean causal) {
        if (o == null) throw new IllegalArgumentException("upsample: input is null");
        int a = axis < 0 ? axis + o.rank() : axis;
        if (a < 0 || a >= o.rank()) {
            throw new IllegalArgumentException("upsample: axis " + axis + " is out of range for shape " + Arrays.toString(o.shape()));
        }
        checkSettings("upsample", n, level, r);
        long nl = o.size(a);
        int expected = ScaleLengths.at(n, level, r, causal);
        if (nl != expected) {
            throw new IllegalArgumentException("upsample: axis " + axis + " of " + Arrays.toString(o.shape()) + " has length "
                    + nl + " but level " + level + " of length " + n + " with ratio " + r + " has length " + expected
                    + (causal ? " (causal: floor(n/r^l))" : " (non-causal: ceil repeatedly)"));
        }
        if (level == 0) return o;
        if (!causal) return o.upsampleNearest(a, n);
        if (nl == 0) {
            long[] shape = o.shape().clone();
            shape[a] = n;
            return Tensor.zeros(o.dtype(), shape);
        }
        return Tensor.apply(new CausalUpsample(a, n, composite(r, level, n)), o);   // R ≤ n, since n_l ≥ 1
    }

    /**
     * Where the scale is available at full length: all true when non-causal; causal: position i is
     * available iff {@code ⌊(i+1)/R⌋ ≥ 1}, i.e. {@code i ≥ R − 1} (and never when the level is empty).
     *
     * @param n     the full length ≥ 1
     * @param nl    the level's length (checked against {@link ScaleLengths#at})
     * @param level the scale l ≥ 0
     * @param r     the ratio ≥ 2
     * @return {@code boolean[n]}
     */
    public static boolean[] availability(int n, int nl, int level, int r, boolean causal) {
        checkLevel("availability", n, nl, level, r, causal);
        boolean[] out = new boolean[n];
        if (!causal) {
            Arrays.fill(out, true);
            return out;
        }
        long big = composite(r, level, n);
        for (int i = 0; i < n; i++) out[i] = (i + 1) / big >= 1;
        return out;
    }

    /**
     * The coarse row each position reads: {@code U(O)[i] = O[sources[i]]}, −1 where the scale is unavailable
     * (causal, {@code i < R − 1}, or an empty level). Level 0 reads row i; non-causal {@code (i·n_l) div n};
     * causal {@code ⌊(i+1)/R⌋ − 1}. Non-decreasing where non-negative.
     *
     * @param n     the full length ≥ 1
     * @param nl    the level's length (checked against {@link ScaleLengths#at})
     * @param level the scale l ≥ 0
     * @param r     the ratio ≥ 2
     * @return {@code int[n]}
     */
    public static int[] sources(int n, int nl, int level, int r, boolean causal) {
        checkLevel("sources", n, nl, level, r, causal);
        int[] out = new int[n];
        long big = composite(r, level, n);
        for (int i = 0; i < n; i++) {
            if (level == 0) out[i] = i;
            else if (!causal) out[i] = (int) ((long) i * nl / n);
            else out[i] = nl == 0 ? -1 : (int) ((i + 1) / big - 1);
        }
        return out;
    }

    /** {@link #availability} as a BOOL array {@code [n]}. */
    public static INDArray availabilityMask(int n, int nl, int level, int r, boolean causal) {
        return Nd4j.createFromArray(availability(n, nl, level, r, causal));
    }

    /** {@code r^level}, capped at {@code n + 1} (any larger value makes every index 0 for positions < n). */
    static long composite(int r, int level, int n) {
        long big = 1;
        for (int l = 0; l < level && big <= n; l++) big *= r;
        return Math.min(big, n + 1L);
    }

    /** Checks the settings and that {@code nl} is the length of {@code level} for input length n. */
    private static void checkLevel(String where, int n, int nl, int level, int r, boolean causal) {
        checkSettings(where, n, level, r);
        int expected = ScaleLengths.at(n, level, r, causal);
        if (nl != expected) {
            throw new IllegalArgumentException(where + ": level " + level + " of length " + n + " with ratio " + r
                    + " has length " + expected + ", got " + nl);
        }
    }

    private static void checkSettings(String where, int n, int level, int r) {
        if (n < 1) throw new IllegalArgumentException(where + ": target length n (" + n + ") must be >= 1");
        if (level < 0) throw new IllegalArgumentException(where + ": level (" + level + ") must be >= 0");
        if (r < 2) throw new IllegalArgumentException(where + ": ratio r (" + r + ") must be >= 2");
    }
}
