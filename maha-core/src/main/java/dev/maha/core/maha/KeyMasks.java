package dev.maha.core.maha;

import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Padding (key) masks carried down the scale pyramid (spec §2): a coarse token is valid iff any fine
 * token it covers is valid, where "covers" is its receptive field in the finer sequence for the
 * decomposition in use ({@link #cover}). Applied level by level, a token of level l is valid iff any
 * input token in its receptive field is valid.
 *
 * <p>Masks are {@code [B, n]}: {@code true} (or nonzero) = a real token that may be attended to. Results
 * are BOOL arrays (or {@code boolean[B][n_l]}); an empty causal level gives {@code [B, 0]}.
 */
public final class KeyMasks {
    private KeyMasks() {
    }

    /**
     * The fine positions {@code [first, last]} (inclusive, clipped to {@code [0, n)}) read by coarse token j:
     * <ul>
     *   <li>CONV / DEPTHWISE non-causal: {@code j·r − ⌊k/2⌋ .. j·r + ⌊k/2⌋};</li>
     *   <li>CONV / DEPTHWISE causal: {@code j·r − p .. j·r − p + k − 1} with {@code p = max(0, k − r)};</li>
     *   <li>MAX_POOL / AVG_POOL: {@code j·r .. j·r + r − 1}.</li>
     * </ul>
     *
     * @return {@code {first, last}}; {@code first > last} never happens for a coarse token that exists
     */
    public static int[] cover(int j, int n, Decomposition mode, int r, int k, boolean causal) {
        long first;
        long last;
        if (mode.hasWeights()) {
            long start = (long) j * r - (causal ? Math.max(0, k - r) : k / 2);
            first = start;
            last = start + k - 1;
        } else {
            first = (long) j * r;
            last = first + r - 1;
        }
        return new int[] {(int) Math.max(0, first), (int) Math.min(n - 1L, last)};
    }

    /**
     * One level down: {@code valid [B][n]} → {@code [B][n']} with n' = ⌈n/r⌉ (non-causal) or ⌊n/r⌋ (causal).
     */
    public static boolean[][] step(boolean[][] valid, Decomposition mode, int r, int k, boolean causal) {
        check(mode, r, k, causal);
        boolean[][] out = new boolean[valid.length][];
        for (int b = 0; b < valid.length; b++) {
            int n = valid[b].length;
            if (b > 0 && n != valid[0].length) {
                throw new IllegalArgumentException("KeyMasks: rows have different lengths (" + valid[0].length + " and " + n + ")");
            }
            int nl = ScaleLengths.next(n, r, causal);
            out[b] = new boolean[nl];
            for (int j = 0; j < nl; j++) {
                int[] c = cover(j, n, mode, r, k, causal);
                boolean any = false;
                for (int t = c[0]; t <= c[1] && !any; t++) any = valid[b][t];
                out[b][j] = any;
            }
        }
        return out;
    }

    /** The mask of scale {@code level} ≥ 0 ({@code level} steps of {@link #step}). */
    public static boolean[][] carry(boolean[][] valid, int level, Decomposition mode, int r, int k, boolean causal) {
        if (valid == null) throw new IllegalArgumentException("KeyMasks: valid is null");
        if (level < 0) throw new IllegalArgumentException("KeyMasks: level (" + level + ") must be >= 0");
        boolean[][] m = valid;
        for (int l = 0; l < level; l++) m = step(m, mode, r, k, causal);
        return m == valid ? copy(valid) : m;
    }

    /**
     * The mask of scale {@code level} for the configuration's decomposition, ratio, kernel and causality.
     *
     * @param valid {@code [B, n]} BOOL (or numeric, nonzero = valid)
     * @return BOOL {@code [B, n_level]}
     */
    public static INDArray carry(INDArray valid, int level, MahaConfig config) {
        return toArray(carry(fromArray(valid), level, config.decomposition(), config.ratio(), config.kernel(), config.causal()));
    }

    /** The masks of every scale 0..L−1 (BOOL {@code [B, n_l]}; the first is a copy of {@code valid}). */
    public static List<INDArray> pyramid(INDArray valid, MahaConfig config) {
        boolean[][] m = fromArray(valid);
        List<INDArray> out = new ArrayList<>(config.scales());
        for (int l = 0; l < config.scales(); l++) {
            if (l > 0) m = step(m, config.decomposition(), config.ratio(), config.kernel(), config.causal());
            out.add(toArray(m));
        }
        return out;
    }

    /** {@code [B, n]} BOOL or numeric (nonzero = true) as {@code boolean[B][n]}. */
    public static boolean[][] fromArray(INDArray valid) {
        if (valid == null) throw new IllegalArgumentException("KeyMasks: valid is null");
        if (valid.rank() != 2) {
            throw new IllegalArgumentException("KeyMasks: valid must be [B, n] (rank 2), got " + Arrays.toString(valid.shape()));
        }
        int b = Math.toIntExact(valid.size(0));
        int n = Math.toIntExact(valid.size(1));
        boolean[][] out = new boolean[b][n];
        if ((long) b * n == 0) return out;
        double[] v = valid.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < n; t++) out[i][t] = v[i * n + t] != 0;
        }
        return out;
    }

    /** {@code boolean[B][n]} as a BOOL array {@code [B, n]} (n may be 0). */
    public static INDArray toArray(boolean[][] m) {
        int b = m.length;
        int n = b == 0 ? 0 : m[0].length;
        if ((long) b * n == 0) return Nd4j.create(DataType.BOOL, b, n);
        boolean[] flat = new boolean[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(m[i], 0, flat, i * n, n);
        return Nd4j.createFromArray(flat).reshape('c', b, n);
    }

    private static boolean[][] copy(boolean[][] m) {
        boolean[][] out = new boolean[m.length][];
        for (int i = 0; i < m.length; i++) out[i] = m[i].clone();
        return out;
    }

    private static void check(Decomposition mode, int r, int k, boolean causal) {
        if (mode == null) throw new IllegalArgumentException("KeyMasks: mode is null");
        if (r < 2) throw new IllegalArgumentException("KeyMasks: ratio r (" + r + ") must be >= 2");
        if (mode.hasWeights() && (k < 1 || (!causal && k % 2 == 0))) {
            throw new IllegalArgumentException("KeyMasks: kernel k (" + k + ") must be >= 1, and odd when non-causal");
        }
    }
}
