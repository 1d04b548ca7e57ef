package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.FlopCounter;
import dev.maha.autograd.Functional;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fused affine map y = x·Wᵀ + b (PyTorch weight layout). */
class LinearTest {
    @Test
    void gradientMatchesFiniteDifferences2d() {
        check(Tensor.randn(1, DataType.DOUBLE, 3, 4), Tensor.randn(2, DataType.DOUBLE, 5, 4), Tensor.randn(3, DataType.DOUBLE, 5));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnRank3Input() {
        check(Tensor.randn(1, DataType.DOUBLE, 2, 3, 4), Tensor.randn(2, DataType.DOUBLE, 5, 4), Tensor.randn(3, DataType.DOUBLE, 5));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 2, 4, 3).permute(0, 2, 1));    // [2, 3, 4], not contiguous
        check(x, Tensor.randn(2, DataType.DOUBLE, 5, 4), Tensor.randn(3, DataType.DOUBLE, 5));
    }

    @Test
    void gradientMatchesFiniteDifferencesOnTransposedWeight() {
        Tensor w = Tensor.of(Nd4j.rand(DataType.DOUBLE, 4, 5).transpose());            // [5, 4] view
        check(Tensor.randn(1, DataType.DOUBLE, 2, 3, 4), w, Tensor.randn(3, DataType.DOUBLE, 5));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithoutBias() {
        check(Tensor.randn(1, DataType.DOUBLE, 2, 3, 4), Tensor.randn(2, DataType.DOUBLE, 5, 4), null);
    }

    @Test
    void gradientMatchesFiniteDifferencesOnVectorInput() {
        check(Tensor.randn(1, DataType.DOUBLE, 4), Tensor.randn(2, DataType.DOUBLE, 5, 4), Tensor.randn(3, DataType.DOUBLE, 5));
    }

    @Test
    void matchesComposedMatmulOfTransposedWeightPlusBias() {
        INDArray xv = Nd4j.rand(DataType.DOUBLE, 3, 5, 6, 7).permute(0, 2, 1, 3);          // [3, 6, 5, 7], permuted
        INDArray wv = Nd4j.rand(DataType.DOUBLE, 4, 7).subi(0.5);
        INDArray bv = Nd4j.rand(DataType.DOUBLE, 4).subi(0.5);
        INDArray cot = Nd4j.rand(DataType.DOUBLE, 3, 6, 5, 4);

        Tensor x1 = Tensor.of(xv).requiresGrad(true);
        Tensor w1 = Tensor.of(wv).requiresGrad(true);
        Tensor b1 = Tensor.of(bv).requiresGrad(true);
        Tensor fused = Functional.linear(x1, w1, b1);
        fused.backward(cot);

        Tensor x2 = Tensor.of(xv).requiresGrad(true);
        Tensor w2 = Tensor.of(wv).requiresGrad(true);
        Tensor b2 = Tensor.of(bv).requiresGrad(true);
        Tensor composed = x2.matmul(w2.transpose(0, 1)).add(b2);
        composed.backward(cot);

        Close.assertClose("y", composed.value(), fused.value(), 1e-12);
        Close.assertClose("dx", x2.grad(), x1.grad(), 1e-12);
        Close.assertClose("dW", w2.grad(), w1.grad(), 1e-12);
        Close.assertClose("db", b2.grad(), b1.grad(), 1e-12);
    }

    @Test
    void worksInFloat32() {
        INDArray xv = Nd4j.rand(DataType.FLOAT, 2, 3, 8);
        INDArray wv = Nd4j.rand(DataType.FLOAT, 5, 8);
        Tensor y = Functional.linear(Tensor.of(xv), Tensor.of(wv), null);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("y", Tensor.of(xv).matmul(Tensor.of(wv).transpose(0, 1)).value(), y.value(), 1e-6);
    }

    @Test
    void onlyTheNeededGradientsAreComputed() {
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4);
        Tensor w = Tensor.randn(2, DataType.DOUBLE, 5, 4).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.DOUBLE, 5);
        Functional.linear(x, w, b).sum().backward();
        assertNull(x.grad());
        assertNull(b.grad());
        Close.assertClose("dW", x.value().reshape(6, 4).sum(0).reshape(1, 4).repeat(0, 5), w.grad(), 1e-12);
    }

    @Test
    void reportsItsFlops() {
        long n = 2 * 3;
        long in = 4;
        long out = 5;
        Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        Tensor w = Tensor.randn(2, DataType.DOUBLE, 5, 4).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.DOUBLE, 5).requiresGrad(true);
        try (FlopCounter flops = FlopCounter.open()) {
            Tensor y = Functional.linear(x, w, b);
            assertEquals(2 * n * in * out + n * out, flops.forward());
            y.backward(Nd4j.ones(DataType.DOUBLE, 2, 3, 5));
            assertEquals(4 * n * in * out + n * out, flops.backward());
        }
    }

    @Test
    void wrongInputWidthNamesLinearAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(Tensor.zeros(DataType.FLOAT, 2, 3, 6), Tensor.zeros(DataType.FLOAT, 5, 4), null));
        assertTrue(e.getMessage().startsWith("linear:") && e.getMessage().contains("[2, 3, 6]")
                && e.getMessage().contains("[5, 4]"), e.getMessage());
    }

    @Test
    void wrongBiasShapeNamesLinearAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(Tensor.zeros(DataType.FLOAT, 3, 4), Tensor.zeros(DataType.FLOAT, 5, 4),
                        Tensor.zeros(DataType.FLOAT, 4)));
        assertTrue(e.getMessage().startsWith("linear:") && e.getMessage().contains("[5, 4]")
                && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void weightOfWrongRankNamesLinearAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(Tensor.zeros(DataType.FLOAT, 3, 4), Tensor.zeros(DataType.FLOAT, 2, 5, 4), null));
        assertTrue(e.getMessage().startsWith("linear:") && e.getMessage().contains("[2, 5, 4]"), e.getMessage());
    }

    @Test
    void outputShapeKeepsLeadingAxes() {
        Tensor y = Functional.linear(Tensor.zeros(DataType.FLOAT, 2, 3, 7, 4), Tensor.zeros(DataType.FLOAT, 5, 4), null);
        assertArrayEquals(new long[] {2, 3, 7, 5}, y.shape());
    }

    /** 120 steps of forward and backward in a scope on 1 MB operands; one leaked 1 MB array per step would show. */
    @Test
    void residentMemoryStaysFlat() {
        Tensor w = Tensor.randn(2, DataType.FLOAT, 512, 512).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.FLOAT, 512).requiresGrad(true);
        Tensor leaf = Tensor.randn(1, DataType.FLOAT, 2, 512, 256).requiresGrad(true);
        long start = 0;
        for (int step = 0; step < 120; step++) {
            try (Scope scope = Scope.open()) {
                Tensor x = leaf.transpose(1, 2);                                    // non-contiguous [2, 256, 512]
                Functional.linear(x, w, b).sum().backward();
            }
            leaf.zeroGrad();
            w.zeroGrad();
            b.zeroGrad();
            if (step == 19) start = Pointer.physicalBytes();
        }
        long growth = Pointer.physicalBytes() - start;
        assertTrue(growth < 40L << 20, "resident memory grew by " + (growth >> 20) + " MB over 100 steps");
    }

    private static void check(Tensor x, Tensor w, Tensor b) {
        x.requiresGrad(true);
        w.requiresGrad(true);
        GradCheck.Report r;
        if (b != null) {
            b.requiresGrad(true);
            r = GradCheck.check(in -> Functional.linear(in[0], in[1], in[2]), x, w, b);
        } else {
            r = GradCheck.check(in -> Functional.linear(in[0], in[1], null), x, w);
        }
        assertTrue(r.passed(), r.toString());
    }
}
