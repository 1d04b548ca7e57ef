package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and extreme rows (magnitudes 1e-12 to 1e12, ties, L = 2..16, masks), float64: the output
 * lies on the simplex to 1e-12 and satisfies the projection's optimality conditions.
 */
class SimplexProjectionProperties {
    /**
     * A row of {@code len} values of magnitude 10^exponent: Gaussian ({@code kind} 0), ties on a grid
     * of three values (1), or a common offset ±10^exponent plus O(1) Gaussian differences (2, where
     * several entries share the support however large the offset); some entries are near-ties of
     * their neighbour.
     */
    static double[] extremeRow(Random rnd, int len, int exponent, int kind) {
        double scale = Math.pow(10, exponent);
        double offset = rnd.nextBoolean() ? scale : -scale;
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = switch (kind) {
                case 0 -> scale * rnd.nextGaussian();
                case 1 -> scale * rnd.nextInt(3);
                default -> offset + rnd.nextGaussian();
            };
            if (i > 0 && rnd.nextInt(8) == 0) v[i] = v[i - 1] + 1e-3 * (kind == 2 ? 1 : scale) * rnd.nextGaussian();
        }
        return v;
    }

    @Property(tries = 200)
    void outputIsTheProjection(@ForAll long seed, @ForAll @IntRange(min = 2, max = 16) int len,
                               @ForAll @IntRange(min = -12, max = 12) int exponent) {
        Random rnd = new Random(seed);
        int batch = 6;
        double[] v = new double[batch * len];
        double[] mask = new double[batch * len];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(extremeRow(rnd, len, exponent, b % 3), 0, v, b * len, len);
            for (int i = 0; i < len; i++) mask[b * len + i] = b % 2 == 0 || rnd.nextInt(3) > 0 ? 1 : 0;
        }
        double[] w = SimplexProjection.project(Tensor.of(v, batch, len), Tensor.of(mask, batch, len)).toDoubleArray();
        for (int b = 0; b < batch; b++) {
            int o = b * len;
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            int available = 0;
            for (int i = 0; i < len; i++) {
                assertTrue(w[o + i] >= 0, "negative weight " + w[o + i]);
                if (mask[o + i] == 0) {
                    assertEquals(0, w[o + i], 0, "masked entry");
                } else {
                    available++;
                    max = Math.max(max, v[o + i]);
                }
                sum += w[o + i];
            }
            if (available == 0) {
                assertEquals(0, sum, 0);
                continue;
            }
            assertEquals(1, sum, 1e-12, "row sum");
            // Optimality: (v_i − max v) − w_i is one θ on the support and (v_j − max v) ≤ θ off it.
            // Support entries lie within 1 of the maximum, so the shifted values are exact and the
            // check is absolute (1e-12) whatever the magnitude of v.
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                if (mask[o + i] == 0 || w[o + i] == 0) continue;
                double theta = (v[o + i] - max) - w[o + i];
                lo = Math.min(lo, theta);
                hi = Math.max(hi, theta);
            }
            assertTrue(hi - lo <= 1e-12, "θ spread " + (hi - lo));
            for (int i = 0; i < len; i++) {
                if (mask[o + i] != 0 && w[o + i] == 0) assertTrue(v[o + i] - max <= hi + 1e-12, "entry off the support above θ");
            }
        }
    }
}
