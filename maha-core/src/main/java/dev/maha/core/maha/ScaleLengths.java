package dev.maha.core.maha;

/**
 * The sequence lengths n_0..n_{L−1} of the scale pyramid (spec §1).
 *
 * <ul>
 *   <li>Non-causal: {@code n_l = ⌈n_{l−1}/r⌉}. This is the output length of a convolution with kernel k,
 *       stride r and symmetric padding ⌊k/2⌋ for every odd k:
 *       {@code ⌊(n + 2⌊k/2⌋ − k)/r⌋ + 1 = ⌊(n − 1)/r⌋ + 1 = ⌈n/r⌉}. (An even k would give
 *       {@code ⌊n/r⌋ + 1}, one more whenever r divides n, so even kernels are rejected when non-causal.)
 *       Pooling uses windows of r with stride r over the sequence padded at the tail to a multiple of r,
 *       which gives the same length. No level is ever empty.</li>
 *   <li>Causal: {@code n_l = ⌊n_{l−1}/r⌋} (only complete blocks of r), so {@code n_l = ⌊n/r^l⌋}. A level with
 *       {@code n_l = 0} is empty, and so are all coarser ones.</li>
 * </ul>
 */
public final class ScaleLengths {
    private ScaleLengths() {
    }

    /**
     * @param n      input length n_0 ≥ 1
     * @param scales number of scales L ≥ 1 (counting scale 0)
     * @param ratio  r ≥ 2
     * @param kernel k ≥ 1 of the decomposition convolutions (odd when non-causal)
     * @param causal the causal rule (floor) or the non-causal one (ceiling)
     * @return {@code int[L]} with {@code [0] = n}
     */
    public static int[] of(int n, int scales, int ratio, int kernel, boolean causal) {
        check("ScaleLengths.of", n, scales, ratio, kernel, causal);
        int[] out = new int[scales];
        out[0] = n;
        for (int l = 1; l < scales; l++) out[l] = next(out[l - 1], ratio, causal);
        return out;
    }

    /** The length of the next coarser level: {@code ⌈m/r⌉} (non-causal) or {@code ⌊m/r⌋} (causal), m ≥ 0. */
    public static int next(int m, int ratio, boolean causal) {
        if (m < 0 || ratio < 2) {
            throw new IllegalArgumentException("ScaleLengths.next: need length >= 0 and ratio >= 2, got length " + m
                    + ", ratio " + ratio);
        }
        return causal ? m / ratio : (m + ratio - 1) / ratio;
    }

    /** The length at {@code level} ≥ 0 for an input of length {@code n} ≥ 0. */
    public static int at(int n, int level, int ratio, boolean causal) {
        if (level < 0) throw new IllegalArgumentException("ScaleLengths.at: level (" + level + ") must be >= 0");
        int m = n;
        for (int l = 0; l < level; l++) m = next(m, ratio, causal);
        return m;
    }

    static void check(String where, int n, int scales, int ratio, int kernel, boolean causal) {
        if (n < 1) throw new IllegalArgumentException(where + ": length n (" + n + ") must be >= 1");
        if (scales < 1) throw new IllegalArgumentException(where + ": scales (" + scales + ") must be >= 1");
        if (ratio < 2) throw new IllegalArgumentException(where + ": ratio (" + ratio + ") must be >= 2");
        if (kernel < 1) throw new IllegalArgumentException(where + ": kernel (" + kernel + ") must be >= 1");
        if (!causal && kernel % 2 == 0) {
            throw new IllegalArgumentException(where + ": kernel (" + kernel + ") must be odd when non-causal");
        }
    }
}
