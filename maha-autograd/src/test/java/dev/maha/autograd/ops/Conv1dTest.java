package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** conv1d: x [B, C_in, L], w [C_out, C_in, K], bias [C_out] → [B, C_out, L_out] (PyTorch semantics). */
class Conv1dTest {
    @Test
    void matchesPyTorchFixtureStride2Padding1() {
        OpFixture.check("conv1d", in -> Functional.conv1d(in[0], in[1], in[2], 2, 1, 1));
    }

    @Test
    void matchesPyTorchFixtureDilated() {
        OpFixture.check("conv1d_dilated", in -> Functional.conv1d(in[0], in[1], in[2], 1, 2, 2));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithStrideDilationAndAsymmetricPadding() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 7).requiresGrad(true);
        Tensor w = Tensor.randn(2, DataType.DOUBLE, 4, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.conv1d(in[0], in[1], in[2], 2, 2, 1, 2), x, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithoutBiasOrPadding() {
        Tensor x = Tensor.randn(4, DataType.DOUBLE, 2, 2, 6).requiresGrad(true);
        Tensor w = Tensor.randn(5, DataType.DOUBLE, 3, 2, 2).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.conv1d(in[0], in[1], null, 1, 0, 1), x, w);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInputAndWeight() {
        Tensor x = Tensor.of(Tensor.randn(6, DataType.DOUBLE, 7, 2, 3).value().permute(1, 2, 0)).requiresGrad(true); // [2,3,7]
        Tensor w = Tensor.of(Tensor.randn(7, DataType.DOUBLE, 3, 4, 3).value().permute(1, 0, 2)).requiresGrad(true); // [4,3,3]
        Tensor b = Tensor.randn(8, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.conv1d(in[0], in[1], in[2], 1, 1, 1), x, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void causalPaddingMakesOutputIndependentOfFutureInputs() {
        int k = 3;
        int dilation = 2;
        Tensor w = Tensor.randn(11, DataType.DOUBLE, 4, 3, k);
        Tensor b = Tensor.randn(12, DataType.DOUBLE, 4);
        INDArray x = Tensor.randn(13, DataType.DOUBLE, 2, 3, 10).value();
        INDArray out = Functional.conv1d(Tensor.of(x), w, b, 1, (k - 1) * dilation, 0, dilation).value();
        assertArrayEquals(new long[] {2, 4, 10}, out.shape());
        for (int s = 0; s < 9; s++) {
            INDArray changed = x.dup();
            for (int t = s + 1; t < 10; t++) {
                at(changed, t).addi(1.0 + t);
            }
            INDArray out2 = Functional.conv1d(Tensor.of(changed), w, b, 1, (k - 1) * dilation, 0, dilation).value();
            for (int t = 0; t < 10; t++) {
                INDArray a = at(out, t);
                INDArray c = at(out2, t);
                if (t <= s) {
                    Close.assertAbsClose("out[..., " + t + "] after changing x[..., >" + s + "]", a, c, 0.0);
                } else if (t == s + 1) {
                    assertNotEquals(a.getDouble(0, 0), c.getDouble(0, 0), "out[..., " + t + "] must see x[..., " + t + "]");
                }
            }
        }
    }

    /** The view x[:, :, t]. */
    private static INDArray at(INDArray x, int t) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
    }

    @Test
    void float32ForwardMatchesNaiveLoop() {
        int bs = 2, cin = 3, len = 8, cout = 2, k = 3, stride = 2, padL = 2, padR = 1, dil = 2;
        INDArray x = Tensor.randn(21, DataType.FLOAT, bs, cin, len).value();
        INDArray w = Tensor.randn(22, DataType.FLOAT, cout, cin, k).value();
        INDArray b = Tensor.randn(23, DataType.FLOAT, cout).value();
        INDArray out = Functional.conv1d(Tensor.of(x), Tensor.of(w), Tensor.of(b), stride, padL, padR, dil).value();
        int lOut = (len + padL + padR - dil * (k - 1) - 1) / stride + 1;
        INDArray expected = Nd4j.zeros(DataType.FLOAT, bs, cout, lOut);
        for (int n = 0; n < bs; n++) {
            for (int o = 0; o < cout; o++) {
                for (int t = 0; t < lOut; t++) {
                    double acc = b.getDouble(o);
                    for (int c = 0; c < cin; c++) {
                        for (int j = 0; j < k; j++) {
                            int pos = t * stride + j * dil - padL;
                            if (pos >= 0 && pos < len) acc += w.getDouble(o, c, j) * x.getDouble(n, c, pos);
                        }
                    }
                    expected.putScalar(new long[] {n, o, t}, acc);
                }
            }
        }
        assertEquals(DataType.FLOAT, out.dataType());
        Close.assertClose("conv1d float32", expected, out, 1e-5);
    }

    @Test
    void channelMismatchNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.conv1d(
                Tensor.zeros(DataType.FLOAT, 2, 3, 8), Tensor.zeros(DataType.FLOAT, 4, 5, 3), null, 1, 0, 1));
        assertTrue(e.getMessage().startsWith("conv1d:") && e.getMessage().contains("[2, 3, 8]")
                && e.getMessage().contains("[4, 5, 3]"), e.getMessage());
    }

    @Test
    void tooShortInputNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.conv1d(
                Tensor.zeros(DataType.FLOAT, 1, 2, 4), Tensor.zeros(DataType.FLOAT, 3, 2, 3), null, 1, 0, 2));
        assertTrue(e.getMessage().startsWith("conv1d:") && e.getMessage().contains("[1, 2, 4]")
                && e.getMessage().contains("[3, 2, 3]") && e.getMessage().contains("< 1"), e.getMessage());
    }

    @Test
    void badBiasAndSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.conv1d(
                Tensor.zeros(DataType.FLOAT, 1, 2, 4), Tensor.zeros(DataType.FLOAT, 3, 2, 3), Tensor.zeros(DataType.FLOAT, 2), 1, 1, 1));
        assertTrue(e.getMessage().startsWith("conv1d:") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.conv1d(
                Tensor.zeros(DataType.FLOAT, 1, 2, 4), Tensor.zeros(DataType.FLOAT, 3, 2, 3), null, 0, 1, 1));
        assertTrue(e.getMessage().startsWith("conv1d:") && e.getMessage().contains("stride 0"), e.getMessage());
    }

    @Test
    void everySmallShapeMatchesNaiveLoopIncludingSingleOutputsWithStride() {
        // A single output with stride > 1 needs a one-element tap; ND4J's strided interval gets that wrong.
        for (int len = 1; len <= 7; len++) {
            for (int k = 1; k <= 3; k++) {
                for (int stride = 1; stride <= 3; stride++) {
                    for (int pad = 0; pad <= 1; pad++) {
                        int lOut = (len + 2 * pad - k) / stride + 1;
                        if (len + 2 * pad < k) continue;
                        INDArray x = Tensor.randn(len * 100 + k * 10 + stride, DataType.DOUBLE, 1, 2, len).value();
                        INDArray w = Tensor.randn(7 + k, DataType.DOUBLE, 2, 2, k).value();
                        INDArray out = Functional.conv1d(Tensor.of(x), Tensor.of(w), null, stride, pad, 1).value();
                        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 1, 2, lOut);
                        for (int o = 0; o < 2; o++) {
                            for (int t = 0; t < lOut; t++) {
                                double acc = 0;
                                for (int c = 0; c < 2; c++) {
                                    for (int j = 0; j < k; j++) {
                                        int pos = t * stride + j - pad;
                                        if (pos >= 0 && pos < len) acc += w.getDouble(o, c, j) * x.getDouble(0, c, pos);
                                    }
                                }
                                expected.putScalar(new long[] {0, o, t}, acc);
                            }
                        }
                        Close.assertClose("conv1d len " + len + " k " + k + " stride " + stride + " pad " + pad, expected, out, 1e-12);
                    }
                }
            }
        }
    }
}
