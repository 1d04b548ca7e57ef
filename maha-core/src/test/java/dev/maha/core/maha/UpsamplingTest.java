package dev.maha.core.maha;

import static dev.maha.core.maha.PyramidTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class UpsamplingTest {

    @Test
    void matchesReferenceFixture() {
        SafeTensors.Contents fx = Fixtures.referenceBlock();
        for (String p : new String[] {"", "nash/"}) {
            for (int l = 0; l < 3; l++) {
                Tensor o = Tensor.of(fx.get(p + "act.attn." + l));
                Tensor u = Upsampling.upsample(o, 1, 16, l, 2, false);
                Close.assertClose(p + "act.up." + l, fx.get(p + "act.up." + l), u.value(), 1e-9);
            }
        }
    }

    @Test
    void nonCausalIsPyTorchNearest() {
        for (int n = 1; n <= 80; n++) {
            for (int r = 2; r <= 4; r++) {
                for (int level = 0; level <= 3; level++) {
                    int nl = ScaleLengths.at(n, level, r, false);
                    Tensor o = Tensor.owning(Nd4j.arange(nl).castTo(DataType.DOUBLE).reshape(1, nl, 1));
                    double[] u = Upsampling.upsample(o, 1, n, level, r, false).value().dup().data().asDouble();
                    for (int i = 0; i < n; i++) assertEquals((long) i * nl / n, (long) u[i], "n=" + n + " r=" + r + " l=" + level + " i=" + i);
                }
            }
        }
    }

    @Test
    void causalPicksTheNewestCompleteTokenOrZero() {
        // Along axis 2 of a per-head [B, h, n_l, c] tensor: U[i] = O[floor((i+1)/R) − 1], zero when negative.
        for (int r = 2; r <= 3; r++) {
            for (int level = 0; level <= 3; level++) {
                for (int n = 1; n <= 40; n++) {
                    int nl = ScaleLengths.at(n, level, r, true);
                    int big = (int) Math.pow(r, level);
                    Tensor o = randn(n * 10L + level, 2, 3, nl, 2);
                    Tensor u = Upsampling.upsample(o, 2, n, level, r, true);
                    assertArrayEquals(new long[] {2, 3, n, 2}, u.shape());
                    boolean[] avail = Upsampling.availability(n, nl, level, r, true);
                    for (int i = 0; i < n; i++) {
                        int src = (i + 1) / big - 1;
                        assertEquals(src >= 0, avail[i], "availability n=" + n + " l=" + level + " i=" + i);
                        INDArray row = u.value().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all());
                        INDArray expected = src >= 0
                                ? o.value().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(src), NDArrayIndex.all())
                                : Nd4j.zeros(DataType.DOUBLE, 2, 3, 2);
                        Close.assertClose("r=" + r + " l=" + level + " n=" + n + " i=" + i, expected, row, 0);
                        if (src >= 0) assertTrue((src + 1) * big - 1 <= i, "the token read is complete at i");
                    }
                }
            }
        }
    }

    @Test
    void availabilityIsAllTrueWhenNonCausalAndAMaskOnRequest() {
        boolean[] all = Upsampling.availability(10, 3, 2, 2, false);
        for (boolean a : all) assertTrue(a);
        INDArray mask = Upsampling.availabilityMask(10, 2, 2, 2, true);
        assertEquals(DataType.BOOL, mask.dataType());
        assertArrayEquals(new long[] {10}, mask.shape());
        boolean[] expected = {false, false, false, true, true, true, true, true, true, true};
        for (int i = 0; i < 10; i++) assertEquals(expected[i], mask.getDouble(i) != 0, "i=" + i);
    }

    @Test
    void levelZeroIsTheIdentityAndEmptyLevelsAreZero() {
        Tensor o = randn(1, 2, 5, 3);
        assertSame(o, Upsampling.upsample(o, 1, 5, 0, 2, true));
        assertSame(o, Upsampling.upsample(o, 1, 5, 0, 2, false));
        Tensor empty = Tensor.zeros(DataType.DOUBLE, 2, 0, 3);
        Tensor u = Upsampling.upsample(empty, 1, 3, 2, 2, true);
        assertArrayEquals(new long[] {2, 3, 3}, u.shape());
        assertEquals(0.0, u.value().amaxNumber().doubleValue());
        for (boolean a : Upsampling.availability(3, 0, 2, 2, true)) assertTrue(!a);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (boolean causal : new boolean[] {false, true}) {
            int n = 11;
            int nl = ScaleLengths.at(n, 2, 2, causal);
            Tensor o = randn(3, 2, nl, 3).requiresGrad(true);
            GradCheck.Report rep = GradCheck.check(in -> Upsampling.upsample(in[0], 1, n, 2, 2, causal), o);
            assertTrue(rep.passed(), "causal=" + causal + ": " + rep);
            Tensor heads = randn(4, 2, 2, ScaleLengths.at(n, 1, 3, causal), 2).requiresGrad(true);
            rep = GradCheck.check(in -> Upsampling.upsample(in[0], -2, n, 1, 3, causal), heads);
            assertTrue(rep.passed(), "per head, causal=" + causal + ": " + rep);
        }
    }

    @Test
    void float32Works() {
        Tensor o = randn(5, 2, 3, 4);
        for (boolean causal : new boolean[] {false, true}) {
            int n = causal ? 13 : 10;
            Tensor u64 = Upsampling.upsample(o, 1, n, 2, 2, causal);
            Tensor u32 = Upsampling.upsample(o.cast(DataType.FLOAT), 1, n, 2, 2, causal);
            assertEquals(DataType.FLOAT, u32.dtype());
            Close.assertClose("float32 causal=" + causal, u64.value(), u32.value(), 1e-6);
        }
    }

    @Test
    void rejectsALengthThatIsNotTheLevels() {
        Tensor o = randn(1, 2, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Upsampling.upsample(o, 1, 16, 1, 2, false));
        assertEquals("upsample: axis 1 of [2, 4, 3] has length 4 but level 1 of length 16 with ratio 2 has length 8"
                + " (non-causal: ceil repeatedly)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Upsampling.upsample(o, 1, 11, 1, 2, true));
        assertTrue(e.getMessage().contains("has length 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Upsampling.upsample(o, 3, 16, 2, 2, false));
        assertEquals("upsample: axis 3 is out of range for shape [2, 4, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Upsampling.upsample(o, 1, 16, 2, 1, false));
        assertEquals("upsample: ratio r (1) must be >= 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Upsampling.availability(16, 3, 2, 2, false));
        assertEquals("availability: level 2 of length 16 with ratio 2 has length 4, got 3", e.getMessage());
    }

    /** The source map is the upsampling itself: upsampling the row numbers 1..n_l gives sources + 1 (0 = unavailable). */
    @Test
    void sourcesAreTheRowsTheUpsamplingReads() {
        for (boolean causal : new boolean[] {true, false}) {
            for (int r = 2; r <= 4; r++) {
                for (int n = 1; n <= 70; n++) {
                    for (int level = 0; level <= 4; level++) {
                        int nl = ScaleLengths.at(n, level, r, causal);
                        double[] rows = new double[nl];
                        for (int j = 0; j < nl; j++) rows[j] = j + 1;
                        Tensor o = Tensor.of(rows, 1, nl);
                        double[] up = Upsampling.upsample(o, 1, n, level, r, causal).value().dup().data().asDouble();
                        int[] src = Upsampling.sources(n, nl, level, r, causal);
                        boolean[] avail = Upsampling.availability(n, nl, level, r, causal);
                        for (int i = 0; i < n; i++) {
                            String what = (causal ? "causal" : "non-causal") + " r=" + r + " n=" + n + " level " + level + " position " + i;
                            assertEquals(up[i], src[i] + 1, 0, what);
                            assertEquals(avail[i], src[i] >= 0, what);
                            if (i > 0 && src[i] >= 0 && src[i - 1] >= 0) assertTrue(src[i] >= src[i - 1], what + " non-decreasing");
                        }
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Upsampling.sources(8, 3, 1, 2, true));
    }
}
