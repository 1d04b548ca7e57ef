package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** max_pool1d: x [B, C, L] → [B, C, L_out], −∞ padding, floor mode, gradient to the first arg-max. */
class MaxPool1dTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("max_pool1d", in -> Functional.maxPool1d(in[0], 2, 2, 0));
    }

    @Test
    void gradientGoesToTheFixtureArgMax() {
        SafeTensors.Contents fx = Fixtures.ops();
        Tensor x = Tensor.of(fx.get("max_pool1d.in0").dup()).requiresGrad(true);
        Functional.maxPool1d(x, 2, 2, 0).sum().backward();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2, 3, 9);
        INDArray idx = fx.get("max_pool1d.indices");
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 4; t++) expected.putScalar(new long[] {b, c, idx.getLong(b, c, t)}, 1.0);
            }
        }
        Close.assertAbsClose("max_pool1d arg-max", expected, x.grad(), 0.0);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithPaddingAndOverlap() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 7).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Functional.maxPool1d(in[0], 3, 2, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Tensor.randn(2, DataType.DOUBLE, 8, 2, 3).value().permute(1, 2, 0)).requiresGrad(true); // [2,3,8]
        GradCheck.Report r = GradCheck.check(in -> Functional.maxPool1d(in[0], 2, 2, 1), x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void tiesSendTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.of(new double[] {5, 5, 2, 2, 7, 7}, 1, 1, 6).requiresGrad(true);
        Functional.maxPool1d(x, 2, 2, 0).sum().backward();
        Close.assertAbsClose("tie gradient", Nd4j.createFromArray(1.0, 0, 1, 0, 1, 0).reshape(1, 1, 6), x.grad(), 0.0);
    }

    @Test
    void float32PaddingIsMinusInfinityNotZero() {
        Tensor x = Tensor.of(new float[] {-3, -1, -4, -2, -5}, 1, 1, 5);
        INDArray out = Functional.maxPool1d(x, 3, 2, 1).value();         // windows [pad,-3,-1] [-1,-4,-2] [-2,-5,pad]
        Close.assertAbsClose("max_pool1d float32", Nd4j.createFromArray(-1f, -1f, -2f).reshape(1, 1, 3), out, 0.0);
    }

    @Test
    void badSettingsNameTheOpAndValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool1d(Tensor.zeros(DataType.FLOAT, 1, 2, 8), 2, 2, 2));
        assertTrue(e.getMessage().startsWith("max_pool1d:") && e.getMessage().contains("padding 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool1d(Tensor.zeros(DataType.FLOAT, 1, 2, 3), 4, 1, 0));
        assertTrue(e.getMessage().startsWith("max_pool1d:") && e.getMessage().contains("[1, 2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool1d(Tensor.zeros(DataType.FLOAT, 2, 8), 2, 2, 0));
        assertTrue(e.getMessage().startsWith("max_pool1d:") && e.getMessage().contains("[2, 8]"), e.getMessage());
    }

    @Test
    void singleWindowWithStrideLongerThanTheInput() {
        // [3] with kernel 2, stride 2 has one window {0, 1}; [2] with kernel 2, stride 3 too.
        Tensor x = Tensor.of(new double[] {1, 5, 9}, 1, 1, 3).requiresGrad(true);
        Tensor y = Functional.maxPool1d(x, 2, 2, 0);
        Close.assertClose("max_pool1d [3] k2 s2", Nd4j.create(new double[] {5}, new long[] {1, 1, 1}), y.value(), 0);
        y.sum().backward();
        Close.assertClose("max_pool1d grad", Nd4j.create(new double[] {0, 1, 0}, new long[] {1, 1, 3}), x.grad(), 0);
        Tensor z = Functional.maxPool1d(Tensor.of(new double[] {4, 2}, 1, 1, 2), 2, 3, 0);
        Close.assertClose("max_pool1d [2] k2 s3", Nd4j.create(new double[] {4}, new long[] {1, 1, 1}), z.value(), 0);
    }
}
