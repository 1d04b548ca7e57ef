package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.fail;

import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared helpers of the decomposition, upsampling, mask and gating tests. */
final class PyramidTesting {
    private PyramidTesting() {
    }

    /** Standard normal float64 values of the given shape, from {@code seed}. */
    static Tensor randn(long seed, long... shape) {
        return Tensor.randn(seed, DataType.DOUBLE, shape);
    }

    /** Per-level decomposition weights for {@code mode} (null for pooling), scaled like PyTorch's init. */
    static List<Tensor> weights(long seed, Decomposition mode, int levels, int d, int k, DataType dtype) {
        if (!mode.hasWeights()) return null;
        List<Tensor> out = new ArrayList<>();
        double bound = 1 / Math.sqrt(mode == Decomposition.CONV ? (double) d * k : k);
        for (int l = 0; l < levels; l++) {
            long[] shape = mode == Decomposition.CONV ? new long[] {d, d, k} : new long[] {d, 1, k};
            out.add(Tensor.uniform(seed + 17L * l, -bound, bound, dtype, shape));
        }
        return out;
    }

    /** Per-level biases (null for pooling). */
    static List<Tensor> biases(long seed, Decomposition mode, int levels, int d, DataType dtype) {
        if (!mode.hasWeights()) return null;
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < levels; l++) out.add(Tensor.uniform(seed + 31L * l, -0.5, 0.5, dtype, d));
        return out;
    }

    /** x [B, n, d] as nested arrays. */
    static double[][][] nested(INDArray x) {
        int b = (int) x.size(0);
        int n = (int) x.size(1);
        int d = (int) x.size(2);
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][][] out = new double[b][n][d];
        for (int i = 0; i < b; i++) for (int t = 0; t < n; t++) for (int c = 0; c < d; c++) out[i][t][c] = flat[(i * n + t) * d + c];
        return out;
    }

    /**
     * Asserts that {@code a} and {@code b} [B, n, d] hold bit-identical values at positions
     * {@code 0..upTo[i]} of axis 1 in batch row i.
     */
    static void assertPrefixBitIdentical(String what, INDArray a, INDArray b, int[] upTo) {
        long n = a.size(1);
        long d = a.size(2);
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < upTo.length; i++) {
            for (int t = 0; t <= upTo[i] && t < n; t++) {
                for (int c = 0; c < d; c++) {
                    int at = (int) ((i * n + t) * d + c);
                    if (Double.doubleToRawLongBits(x[at]) != Double.doubleToRawLongBits(y[at])) {
                        fail(what + ": tokens after " + upTo[i] + " changed position " + t + " (element [" + i + ", " + t
                                + ", " + c + "]: " + x[at] + " vs " + y[at] + ")");
                    }
                }
            }
        }
    }

    /**
     * A causality probe for length n: row i of the first tensor is x, row i of the second is x with every
     * token after position i replaced (i = 0..n−2). Returns {base, changed}; cut point of row i is i.
     */
    static Tensor[] futureChanged(long seed, int n, int d) {
        int rows = Math.max(1, n - 1);
        java.util.Random rnd = new java.util.Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        double[] base = new double[rows * n * d];
        double[] changed = new double[rows * n * d];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, 0, base, i * n * d, n * d);
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < d; c++) {
                    int at = (i * n + t) * d + c;
                    changed[at] = t <= i ? x[t * d + c] : 1 + 3 * rnd.nextGaussian();
                }
            }
        }
        return new Tensor[] {Tensor.of(base, rows, n, d), Tensor.of(changed, rows, n, d)};
    }

    /** The cut points of {@link #futureChanged}: row i keeps positions 0..i. */
    static int[] cuts(int n) {
        int[] t = new int[Math.max(1, n - 1)];
        for (int i = 0; i < t.length; i++) t[i] = i;
        return t;
    }

    /** Whether two arrays of the same shape differ anywhere along axis 1 position t. */
    static boolean differsAt(INDArray a, INDArray b, int t) {
        double[][][] x = nested(a);
        double[][][] y = nested(b);
        for (int i = 0; i < x.length; i++) {
            if (!Arrays.equals(x[i][t], y[i][t])) return true;
        }
        return false;
    }
}
