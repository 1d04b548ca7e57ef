package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Tensor;
import dev.maha.core.maha.MahaConfig.Decomposition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ScaleLengthsTest {

    @Test
    void nonCausalIsTheCeilingAndCausalTheFloorOfNOverRToTheL() {
        for (int n = 1; n <= 300; n++) {
            for (int scales = 1; scales <= 5; scales++) {
                for (int r = 2; r <= 4; r++) {
                    for (int k : new int[] {1, 3, 5, 7}) {
                        int[] ceil = ScaleLengths.of(n, scales, r, k, false);
                        int[] floor = ScaleLengths.of(n, scales, r, k, true);
                        assertEquals(scales, ceil.length);
                        long big = 1;
                        for (int l = 0; l < scales; l++, big *= r) {
                            assertEquals((n + big - 1) / big, ceil[l], "non-causal n=" + n + " r=" + r + " l=" + l);
                            assertEquals(n / big, floor[l], "causal n=" + n + " r=" + r + " l=" + l);
                            assertTrue(ceil[l] >= 1);
                            assertEquals(ScaleLengths.at(n, l, r, false), ceil[l]);
                            assertEquals(ScaleLengths.at(n, l, r, true), floor[l]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void convolutionLengthFormulaAgreesForEveryOddKernel() {
        // floor((n + 2·floor(k/2) − k)/r) + 1 = ceil(n/r) for odd k; causal floor((m + max(0, k−r) − k)/r) + 1
        // = floor(n/r) on the m = floor(n/r)·r complete-block prefix, for every k.
        for (int n = 1; n <= 300; n++) {
            for (int r = 2; r <= 4; r++) {
                for (int k = 1; k <= 9; k++) {
                    int q = n / r;
                    if (q > 0) {
                        int m = q * r;
                        int span = m + Math.max(0, k - r) - k;
                        assertEquals(q, Math.floorDiv(span, r) + 1, "causal n=" + n + " r=" + r + " k=" + k);
                    }
                    if (k % 2 == 1) {
                        assertEquals(ScaleLengths.next(n, r, false), (n + 2 * (k / 2) - k) / r + 1, "n=" + n + " r=" + r + " k=" + k);
                    } else {
                        // the reason even kernels are rejected when non-causal
                        int even = (n + 2 * (k / 2) - k) / r + 1;
                        assertEquals(n % r == 0 ? ScaleLengths.next(n, r, false) + 1 : ScaleLengths.next(n, r, false), even);
                    }
                }
            }
        }
    }

    @Test
    void agreesWithTheActualConvolutionAndPoolingOutputs() {
        // Every level is one step of next(), so checking one real downsampling step for every input length
        // m in 1..300 (every mode, both rules, r = 2..4) covers every pyramid with n <= 300 and any L;
        // a full five-level pyramid is also run for a spread of n.
        try (NoGrad off = NoGrad.enter()) {
            for (Decomposition mode : Decomposition.values()) {
                Tensor w = mode.hasWeights() ? Tensor.ones(DataType.DOUBLE, 1, 1, 3) : null;
                for (boolean causal : new boolean[] {false, true}) {
                    for (int r = 2; r <= 4; r++) {
                        for (int m = 1; m <= 300; m++) {
                            Tensor y = Downsampling.downsample(Tensor.ones(DataType.DOUBLE, 1, m, 1), w, null, mode, r, 3, causal);
                            assertEquals(ScaleLengths.next(m, r, causal), y.size(1), mode + " causal=" + causal + " m=" + m + " r=" + r);
                        }
                        List<Tensor> ws = new ArrayList<>();
                        for (int l = 0; l < 4; l++) ws.add(w);
                        for (int n : new int[] {1, 2, 3, 7, 16, 37, 64, 100, 127, 255, 300}) {
                            List<Tensor> xs = Downsampling.pyramid(Tensor.ones(DataType.DOUBLE, 1, n, 1), mode.hasWeights() ? ws : null,
                                    null, mode, 5, r, 3, causal);
                            int[] expected = ScaleLengths.of(n, 5, r, 3, causal);
                            for (int l = 0; l < 5; l++) assertEquals(expected[l], xs.get(l).size(1), mode + " n=" + n + " l=" + l);
                        }
                    }
                }
            }
        }
    }

    @Test
    void emptyCausalLevelsAndTheFirstEntry() {
        assertArrayEquals(new int[] {5, 2, 1, 0, 0}, ScaleLengths.of(5, 5, 2, 3, true));
        assertArrayEquals(new int[] {5, 3, 2, 1, 1}, ScaleLengths.of(5, 5, 2, 3, false));
        assertArrayEquals(new int[] {37, 19, 10, 5}, ScaleLengths.of(37, 4, 2, 3, false));   // the fixture README's example
        assertArrayEquals(new int[] {16, 8, 4}, ScaleLengths.of(16, 3, 2, 3, false));        // the reference block
        assertArrayEquals(new int[] {4}, ScaleLengths.of(4, 1, 2, 3, false));
    }

    @Test
    void rejectsBadArguments() {
        assertMessage("ScaleLengths.of: length n (0) must be >= 1", () -> ScaleLengths.of(0, 2, 2, 3, false));
        assertMessage("ScaleLengths.of: scales (0) must be >= 1", () -> ScaleLengths.of(8, 0, 2, 3, false));
        assertMessage("ScaleLengths.of: ratio (1) must be >= 2", () -> ScaleLengths.of(8, 2, 1, 3, false));
        assertMessage("ScaleLengths.of: kernel (0) must be >= 1", () -> ScaleLengths.of(8, 2, 2, 0, true));
        assertMessage("ScaleLengths.of: kernel (4) must be odd when non-causal", () -> ScaleLengths.of(8, 2, 2, 4, false));
        assertEquals(4, ScaleLengths.of(8, 2, 2, 4, true)[1]);
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }
}
