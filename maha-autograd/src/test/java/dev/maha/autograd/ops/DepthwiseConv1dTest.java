package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** depthwise_conv1d: x [B, C, L], w [C, 1, K] or [C, K], bias [C] → [B, C, L_out] (groups = C). */
class DepthwiseConv1dTest {
    @Test
    void equalsFullConvolutionWithBlockDiagonalWeightIncludingGradients() {
        // A depthwise kernel is a full kernel that is zero off the channel diagonal: conv1d (checked
        // against PyTorch) must give the same output and the same input gradient.
        long c = 3;
        long k = 3;
        INDArray wd = Tensor.randn(1, DataType.DOUBLE, c, 1, k).value();
        INDArray wFull = Nd4j.zeros(DataType.DOUBLE, c, c, k);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) wFull.putScalar(new long[] {i, i, j}, wd.getDouble(i, 0, j));
        }
        INDArray xv = Tensor.randn(2, DataType.DOUBLE, 2, c, 9).value();
        Tensor b = Tensor.randn(3, DataType.DOUBLE, c);
        INDArray cot = Tensor.randn(4, DataType.DOUBLE, 2, c, 3).value();          // L_out = (9 + 1 − 4 − 1)/2 + 1

        Tensor x1 = Tensor.of(xv.dup()).requiresGrad(true);
        Tensor w1 = Tensor.of(wd).requiresGrad(true);
        Tensor y1 = Functional.depthwiseConv1d(x1, w1, b, 2, 1, 0, 2);
        y1.backward(cot);
        Tensor x2 = Tensor.of(xv.dup()).requiresGrad(true);
        Tensor w2 = Tensor.of(wFull).requiresGrad(true);
        Tensor y2 = Functional.conv1d(x2, w2, b, 2, 1, 0, 2);
        y2.backward(cot);
        assertArrayEquals(new long[] {2, c, 3}, y1.shape());
        Close.assertClose("depthwise vs full conv output", y2.value(), y1.value(), 1e-12);
        Close.assertClose("depthwise vs full conv dx", x2.grad(), x1.grad(), 1e-12);
        INDArray diag = Nd4j.zeros(DataType.DOUBLE, c, 1, k);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < k; j++) diag.putScalar(new long[] {i, 0, j}, w2.grad().getDouble(i, i, j));
        }
        Close.assertClose("depthwise dw vs diagonal of full conv dw", diag, w1.grad(), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferencesPyTorchWeightLayout() {
        Tensor x = Tensor.randn(5, DataType.DOUBLE, 2, 3, 8).requiresGrad(true);
        Tensor w = Tensor.randn(6, DataType.DOUBLE, 3, 1, 3).requiresGrad(true);
        Tensor b = Tensor.randn(7, DataType.DOUBLE, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.depthwiseConv1d(in[0], in[1], in[2], 2, 1, 1, 1), x, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesMatrixWeightWithoutBiasDilatedCausal() {
        Tensor x = Tensor.randn(8, DataType.DOUBLE, 2, 3, 7).requiresGrad(true);
        Tensor w = Tensor.randn(9, DataType.DOUBLE, 3, 2).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.depthwiseConv1d(in[0], in[1], null, 1, 2, 0, 2), x, w);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInputAndWeight() {
        Tensor x = Tensor.of(Tensor.randn(10, DataType.DOUBLE, 3, 7, 2).value().permute(2, 0, 1)).requiresGrad(true); // [2,3,7]
        Tensor w = Tensor.of(Tensor.randn(11, DataType.DOUBLE, 3, 3).value().transpose()).requiresGrad(true);       // [3,3]
        Tensor b = Tensor.randn(12, DataType.DOUBLE, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.depthwiseConv1d(in[0], in[1], in[2], 2, 1, 1, 1), x, w, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void manyChannelsSplitAcrossThreadsMatchChannelsFirstAndFiniteDifferences() {
        // 150 channels; a channels-last input (the transpose of a [B, n, C] sequence) and the same values
        // channels-first (copied to channels-last by the op) must agree exactly.
        int bs = 2, c = 150, len = 11;
        INDArray seq = Tensor.randn(21, DataType.DOUBLE, bs, len, c).value();                     // [B, n, C]
        INDArray w = Tensor.randn(22, DataType.DOUBLE, c, 1, 3).value();
        INDArray b = Tensor.randn(23, DataType.DOUBLE, c).value();
        Tensor channelsLast = Tensor.of(seq.permute(0, 2, 1)).requiresGrad(true);                  // [B, C, n], stride 1 on C
        Tensor channelsFirst = Tensor.of(seq.permute(0, 2, 1).dup('c')).requiresGrad(true);
        Tensor wl = Tensor.of(w.dup()).requiresGrad(true);
        Tensor wf = Tensor.of(w.dup()).requiresGrad(true);
        Tensor yl = Functional.depthwiseConv1d(channelsLast, wl, Tensor.of(b), 2, 2, 0, 1);
        Tensor yf = Functional.depthwiseConv1d(channelsFirst, wf, Tensor.of(b), 2, 2, 0, 1);
        assertArrayEquals(values(yf.value()), values(yl.value()), "forward, channels-last vs channels-first");
        INDArray cot = Tensor.randn(24, DataType.DOUBLE, yl.shape()).value();
        yl.backward(cot);
        yf.backward(cot);
        assertArrayEquals(values(channelsFirst.grad()), values(channelsLast.grad()), "input gradient");
        assertArrayEquals(values(wf.grad()), values(wl.grad()), "weight gradient");
        Tensor small = Tensor.of(Tensor.randn(25, DataType.DOUBLE, 1, 5, 130).value().permute(0, 2, 1)).requiresGrad(true);
        Tensor ws = Tensor.randn(26, DataType.DOUBLE, 130, 3).requiresGrad(true);
        GradCheck.Report rep = GradCheck.check(in -> Functional.depthwiseConv1d(in[0], in[1], null, 1, 1, 1, 2), small, ws);
        assertTrue(rep.passed(), rep.toString());
    }

    @Test
    void longSequencesSplitIntoManyRowChunksMatchNaiveLoops() {
        // 40 channels: about 400 rows per parallel chunk, so these lengths cut every pass into many chunks,
        // some crossing from one batch element to the next. Strides, dilations and paddings vary; the
        // [L, B, C] input (rows of one batch element not contiguous) takes the copying path.
        int bs = 3, c = 40, len = 1500;
        int[][] settings = {{1, 1, 1, 1}, {2, 1, 0, 1}, {3, 2, 1, 2}, {2, 4, 0, 3}, {1, 2, 2, 1}};   // stride, padL, padR, dilation
        for (int[] st : settings) {
            for (boolean timeMajor : new boolean[] {false, true}) {
              for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
                int stride = st[0], padL = st[1], padR = st[2], dil = st[3], k = 3;
                String what = dt + ", stride " + stride + ", pad (" + padL + ", " + padR + "), dilation " + dil + (timeMajor ? ", [L,B,C] input" : "");
                INDArray xv = timeMajor
                        ? Tensor.randn(31, dt, len, bs, c).value().permute(1, 2, 0)
                        : Tensor.randn(31, dt, bs, len, c).value().permute(0, 2, 1);
                Tensor x = Tensor.of(xv).requiresGrad(true);
                Tensor w = Tensor.randn(32, dt, c, 1, k).requiresGrad(true);
                Tensor b = Tensor.randn(33, dt, c).requiresGrad(true);
                Tensor y = Functional.depthwiseConv1d(x, w, b, stride, padL, padR, dil);
                int lOut = (len + padL + padR - dil * (k - 1) - 1) / stride + 1;
                INDArray g = Tensor.randn(34, dt, bs, c, lOut).value();
                y.backward(g);

                double[][][] xa = array3(xv);
                double[][][] ga = array3(g);
                double[][] wa = new double[c][k];
                for (int ch = 0; ch < c; ch++) for (int j = 0; j < k; j++) wa[ch][j] = w.value().getDouble(ch, 0, j);
                double[][][] yRef = new double[bs][c][lOut];
                double[][][] dxRef = new double[bs][c][len];
                double[][] dwRef = new double[c][k];
                double[] dbRef = new double[c];
                for (int n = 0; n < bs; n++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int t = 0; t < lOut; t++) {
                            double acc = b.value().getDouble(ch);
                            dbRef[ch] += ga[n][ch][t];
                            for (int j = 0; j < k; j++) {
                                int pos = t * stride + j * dil - padL;
                                if (pos < 0 || pos >= len) continue;
                                acc += wa[ch][j] * xa[n][ch][pos];
                                dxRef[n][ch][pos] += wa[ch][j] * ga[n][ch][t];
                                dwRef[ch][j] += ga[n][ch][t] * xa[n][ch][pos];
                            }
                            yRef[n][ch][t] = acc;
                        }
                    }
                }
                Close.assertClose("forward, " + what, Nd4j.create(yRef).castTo(dt), y.value(), tol);
                Close.assertClose("input gradient, " + what, Nd4j.create(dxRef).castTo(dt), x.grad(), tol);
                Close.assertClose("weight gradient, " + what, Nd4j.create(dwRef).reshape(c, 1, k).castTo(dt), w.grad(), tol);
                Close.assertClose("bias gradient, " + what, Nd4j.create(dbRef).castTo(dt), b.grad(), tol);
              }
            }
        }
    }

    private static double[][][] array3(INDArray a) {
        double[][][] out = new double[(int) a.size(0)][(int) a.size(1)][(int) a.size(2)];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                for (int t = 0; t < out[i][j].length; t++) out[i][j][t] = a.getDouble(i, j, t);
            }
        }
        return out;
    }

    /** Every element in row-major order, for exact comparison. */
    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void float32ForwardMatchesNaiveLoop() {
        int bs = 2, c = 3, len = 9, k = 3, stride = 2, padL = 1, padR = 1, dil = 1;
        INDArray x = Tensor.randn(13, DataType.FLOAT, bs, c, len).value();
        INDArray w = Tensor.randn(14, DataType.FLOAT, c, k).value();
        INDArray b = Tensor.randn(15, DataType.FLOAT, c).value();
        INDArray out = Functional.depthwiseConv1d(Tensor.of(x), Tensor.of(w), Tensor.of(b), stride, padL, padR, dil).value();
        int lOut = (len + padL + padR - dil * (k - 1) - 1) / stride + 1;
        INDArray expected = Nd4j.zeros(DataType.FLOAT, bs, c, lOut);
        for (int n = 0; n < bs; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < lOut; t++) {
                    double acc = b.getDouble(ch);
                    for (int j = 0; j < k; j++) {
                        int pos = t * stride + j * dil - padL;
                        if (pos >= 0 && pos < len) acc += w.getDouble(ch, j) * x.getDouble(n, ch, pos);
                    }
                    expected.putScalar(new long[] {n, ch, t}, acc);
                }
            }
        }
        Close.assertClose("depthwise_conv1d float32", expected, out, 1e-5);
    }

    @Test
    void wrongWeightShapeNamesTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.depthwiseConv1d(
                Tensor.zeros(DataType.FLOAT, 2, 3, 8), Tensor.zeros(DataType.FLOAT, 3, 2, 3), null, 1, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("depthwise_conv1d:") && e.getMessage().contains("[2, 3, 8]")
                && e.getMessage().contains("[3, 2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.depthwiseConv1d(
                Tensor.zeros(DataType.FLOAT, 2, 3, 2), Tensor.zeros(DataType.FLOAT, 3, 3), null, 1, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("depthwise_conv1d:") && e.getMessage().contains("< 1"), e.getMessage());
    }
}
