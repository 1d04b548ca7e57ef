package dev.maha.optim.solvers;

/**
 * Damped simultaneous (Jacobi) best-response dynamics of one contest instance at {@code [off, off + L)},
 * and the reverse sweep through them.
 *
 * <p>Start {@code b⁰_l = v_l·(n − 1)/n²} over the {@code n} available players (each player's bid in the
 * symmetric equilibrium of {@code n} players of its own valuation: exact when all valuations are equal,
 * scale-equivariant, and strictly positive). Step:
 * {@code b ← (1 − η)·b + η·BR(b)}, {@code BR_l(b) = max(0, √(v_l·s̃_l) − s̃_l)},
 * {@code s̃_l = max(S_{−l}, FLOOR)}, with the others' total {@code S_{−l}} taken as prefix + suffix sums
 * (no cancellation when one bid dominates). The floor only matters when every other player bids exactly
 * 0, where the best response is undefined (any tiny bid wins everything); that needs {@code η = 1} or
 * underflow, since with {@code η < 1} bids stay positive. Output {@code w = b/Σb}.
 *
 * <p>The square root is taken as {@code √v·√s̃}, so no product overflows for any finite valuation.
 */
final class ContestBestResponse {
    /** Others' total used when all others bid exactly 0; far below any bid a valuation > 0 produces. */
    static final double FLOOR = 1e-300;

    private ContestBestResponse() {
    }

    /** Per-call scratch of one instance (no allocation in the batch loop). */
    static final class Scratch {
        final double[] prefix;
        final double[] next;
        final double[] sqrtV;

        Scratch(int L) {
            prefix = new double[L + 1];
            next = new double[L];
            sqrtV = new double[L];
        }
    }

    /**
     * Runs {@code K} steps, leaving the final bids in {@code b[off, off + L)} (0 where unavailable).
     * When {@code trajectory} is non-null, the bids before each step and the final ones are stored
     * there, {@code K + 1} rows of {@code L} from {@code tOff}. Needs {@code n ≥ 2} available players.
     */
    static void run(double[] v, boolean[] available, int off, int L, int n, int K, double eta, double[] b,
                    double[] trajectory, int tOff, Scratch sc) {
        double start = (n - 1) / ((double) n * n);
        for (int l = 0; l < L; l++) {
            int i = off + l;
            b[i] = available[i] ? v[i] * start : 0;
            sc.sqrtV[l] = available[i] ? Math.sqrt(v[i]) : 0;
        }
        for (int k = 0; k < K; k++) {
            if (trajectory != null) System.arraycopy(b, off, trajectory, tOff + k * L, L);
            othersPrefix(b, available, off, L, sc.prefix);
            double suffix = 0;
            for (int l = L - 1; l >= 0; l--) {
                int i = off + l;
                if (!available[i]) continue;
                double s = Math.max(sc.prefix[l] + suffix, FLOOR);
                suffix += b[i];
                sc.next[l] = Math.max(0, sc.sqrtV[l] * Math.sqrt(s) - s);
            }
            for (int l = 0; l < L; l++) {
                int i = off + l;
                if (available[i]) b[i] = (1 - eta) * b[i] + eta * sc.next[l];
            }
        }
        if (trajectory != null) System.arraycopy(b, off, trajectory, tOff + K * L, L);
    }

    /**
     * The reverse sweep: adds {@code (∂w/∂v)ᵀ g} into {@code out} for the iterations recorded by
     * {@link #run}, through the final normalization, every step (the {@code max(0, ·)} kink passes no
     * gradient where the best response is not positive, the floor none to the others' total), and
     * the start.
     */
    static void vjp(double[] g, double[] v, boolean[] available, int off, int L, int n, int K, double eta,
                    double[] trajectory, int tOff, double[] out, Scratch sc, double[] bbar, double[] sbar) {
        int last = tOff + K * L;
        double total = 0;
        for (int l = 0; l < L; l++) if (available[off + l]) total += trajectory[last + l];
        double dot = 0;
        for (int l = 0; l < L; l++) if (available[off + l]) dot += g[off + l] * trajectory[last + l];
        dot /= total;
        for (int l = 0; l < L; l++) {
            int i = off + l;
            bbar[l] = available[i] ? (g[i] - dot) / total : 0;
            sc.sqrtV[l] = available[i] ? Math.sqrt(v[i]) : 0;
        }
        for (int k = K - 1; k >= 0; k--) {
            int row = tOff + k * L;
            sc.prefix[0] = 0;
            for (int l = 0; l < L; l++) sc.prefix[l + 1] = sc.prefix[l] + (available[off + l] ? trajectory[row + l] : 0);
            double suffix = 0;
            for (int l = L - 1; l >= 0; l--) {
                int i = off + l;
                sbar[l] = 0;
                if (!available[i]) continue;
                double s = sc.prefix[l] + suffix;
                suffix += trajectory[row + l];
                double st = Math.max(s, FLOOR);
                double sqrtS = Math.sqrt(st);
                double q = sc.sqrtV[l] * sqrtS;
                if (q - st > 0) {
                    double rbar = eta * bbar[l];
                    out[i] += rbar * sqrtS / (2 * sc.sqrtV[l]);
                    if (s > FLOOR) sbar[l] = rbar * (sc.sqrtV[l] / (2 * sqrtS) - 1);
                }
            }
            // b̄_j ← (1 − η)·b̄_j + Σ_{l≠j} s̄_l, the others' sums again as prefix + suffix
            sc.prefix[0] = 0;
            for (int l = 0; l < L; l++) sc.prefix[l + 1] = sc.prefix[l] + sbar[l];
            double sSuffix = 0;
            for (int l = L - 1; l >= 0; l--) {
                double others = sc.prefix[l] + sSuffix;
                sSuffix += sbar[l];
                if (available[off + l]) bbar[l] = (1 - eta) * bbar[l] + others;
            }
        }
        double start = (n - 1) / ((double) n * n);
        for (int l = 0; l < L; l++) if (available[off + l]) out[off + l] += bbar[l] * start;
    }

    /**
     * Marks the players whose best response to the final bids is positive ({@code v_l > S_{−l}}): the
     * active set read off the solution, used by the implicit gradient. Returns its size.
     */
    static int activeAtSolution(double[] v, boolean[] available, double[] b, int off, int L, boolean[] active,
                                double[] prefix) {
        othersPrefix(b, available, off, L, prefix);
        int m = 0;
        double suffix = 0;
        for (int l = L - 1; l >= 0; l--) {
            int i = off + l;
            active[i] = false;
            if (!available[i]) continue;
            double s = prefix[l] + suffix;
            suffix += b[i];
            if (v[i] > s) {
                active[i] = true;
                m++;
            }
        }
        return m;
    }

    private static void othersPrefix(double[] b, boolean[] available, int off, int L, double[] prefix) {
        prefix[0] = 0;
        for (int l = 0; l < L; l++) prefix[l + 1] = prefix[l] + (available[off + l] ? b[off + l] : 0);
    }
}
