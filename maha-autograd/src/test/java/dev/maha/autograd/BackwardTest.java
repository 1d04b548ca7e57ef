package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.testing.Close;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tape: reverse order, accumulation, retained graphs, and the errors a user can provoke. */
class BackwardTest {
    /** A user-defined op, written exactly like the library's: x². */
    static final class Square implements Op {
        @Override
        public String name() {
            return "square";
        }

        @Override
        public INDArray forward(Context ctx, INDArray... in) {
            ctx.save(in[0]);
            ctx.flops(in[0].length());
            return in[0].mul(in[0]);
        }

        @Override
        public INDArray[] backward(Context ctx, INDArray g) {
            ctx.flops(2 * g.length());
            return new INDArray[] {g.mul(ctx.saved(0)).muli(2)};
        }
    }

    @Test
    void userDefinedOpGradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(7, DataType.DOUBLE, 3, 2).requiresGrad(true);
        Tensor w = Tensor.randn(8, DataType.DOUBLE, 2, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> Tensor.apply(new Square(), in[0]).matmul(in[1]), x, w);
        assertTrue(r.passed(), r.toString());
    }

    /**
     * Identity with a copying forward; its backward returns a fresh copy of the gradient ({@code made})
     * and notes whether the gradient it received shares a buffer with {@code watch}'s copy.
     */
    static final class Probe implements Op {
        Probe watch;
        INDArray made;
        boolean receivedWatchedBuffer;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public INDArray forward(Context ctx, INDArray... in) {
            return in[0].dup();
        }

        @Override
        public INDArray[] backward(Context ctx, INDArray g) {
            if (watch != null) {
                try {
                    receivedWatchedBuffer = Memory.sharesBuffer(g, watch.made);
                } catch (IllegalStateException freed) {        // watch.made was freed: g is a copy
                    receivedWatchedBuffer = false;
                }
            }
            made = g.dup();
            return new INDArray[] {made};
        }
    }

    @Test
    void viewGradientsTakeOverTheirBufferInsteadOfBeingCopied() {
        // x → inner → permute → reshape → outer → ·w. The backward of reshape and permute returns views of
        // the gradient they get; the engine hands those views on without copying, so the inner probe
        // receives a view of the very buffer the outer probe's backward made.
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 2, 6).requiresGrad(true);
        Tensor w = Tensor.randn(4, DataType.DOUBLE, 3, 4).requiresGrad(true);
        Probe inner = new Probe();
        Probe outer = new Probe();
        inner.watch = outer;
        Tensor v = Tensor.apply(outer, Tensor.apply(inner, x).permute(1, 0).reshape(3, 4));
        v.mul(w).sum().backward();
        INDArray expected = w.value().reshape(6, 2).transpose();
        Close.assertClose("dx through the views", expected, x.grad(), 1e-15);
        assertTrue(inner.receivedWatchedBuffer, "the views' gradients were passed on, not copied");
    }

    @Test
    void aViewGradientSharedByTwoInputsIsCopiedForTheSecond() {
        // add(s, s) returns g for both of its inputs, which are the same tensor: the first takes g over,
        // the second gets a copy, and they are summed (dy/dx = 4x).
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        Tensor s = Tensor.apply(new Square(), x);
        Tensor t = s.reshape(3, 1).reshape(3);
        t.add(t).sum().backward();
        Close.assertClose("d/dx", Nd4j.createFromArray(4.0, -8.0, 12.0), x.grad(), 1e-15);
    }

    @Test
    void aLeafGetsARowMajorGradientEvenWhenItsOpReturnsAPermutedOne() {
        // permute's backward returns a permuted view of g; the leaf's gradient is a plain row-major copy.
        Tensor x = Tensor.randn(3, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        INDArray cot = Nd4j.rand(DataType.DOUBLE, 4, 2, 3);
        x.permute(2, 0, 1).backward(cot);
        assertTrue(Memory.isRowMajorDense(x.grad()), x.grad().shapeInfoToString());
        Close.assertClose("gradient", cot.permute(1, 2, 0), x.grad(), 0);
        assertEquals(cot.getDouble(3, 1, 2), x.grad().slice(1).slice(2).getDouble(3), 0);   // ND4J slicing works on it
    }

    @Test
    void diamondGraphAccumulatesGradientsFromBothPaths() {
        // y = sum(x² + x²·1) through a shared intermediate: dy/dx = 4x
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        Tensor s = Tensor.apply(new Square(), x);
        s.add(s).sum().backward();
        Close.assertClose("d/dx", Nd4j.createFromArray(4.0, -8.0, 12.0), x.grad(), 1e-15);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor.apply(new Square(), x).sum().backward();
        Tensor.apply(new Square(), x).sum().backward();
        Close.assertClose("accumulated", Nd4j.createFromArray(4.0, 8.0), x.grad(), 1e-15);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void secondBackwardThroughFreedBuffersFailsClearly() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = Tensor.apply(new Square(), x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already freed") && e.getMessage().contains("retain"), e.getMessage());
    }

    @Test
    void retainedGraphRunsBackwardTwice() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = Tensor.apply(new Square(), x).sum();
        y.backward(null, true);
        y.backward(null, true);
        Close.assertClose("twice 2x", Nd4j.createFromArray(4.0, 8.0), x.grad(), 1e-15);
    }

    @Test
    void nonScalarBackwardWithoutCotangentNamesTheShape() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor y = Tensor.apply(new Square(), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("not a scalar") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void cotangentOfTheWrongShapeIsRejected() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor y = Tensor.apply(new Square(), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Nd4j.ones(DataType.DOUBLE, 4)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void backwardOnATensorWithoutHistoryFails() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (NoGrad off = NoGrad.enter()) {
            y = Tensor.apply(new Square(), x);
            assertFalse(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor d = Tensor.apply(new Square(), x).detach();
        assertFalse(d.requiresGrad());
        Close.assertClose("value", Nd4j.createFromArray(1.0, 4.0), d.value(), 0);
    }

    @Test
    void onlyLeavesCanRequireGrad() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = Tensor.apply(new Square(), x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.indices(new long[] {1}, 1).requiresGrad(true));
    }

    @Test
    void flopCounterSplitsForwardAndBackward() {
        Tensor a = Tensor.randn(1, DataType.FLOAT, 8, 16).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.FLOAT, 16, 4).requiresGrad(true);
        try (FlopCounter flops = FlopCounter.open()) {
            Tensor y = a.matmul(b).sum();
            y.backward();
            assertEquals(2L * 8 * 16 * 4 + 8 * 4, flops.forward());
            assertEquals(2 * 2L * 8 * 16 * 4, flops.backward());
            assertEquals(2L * 8 * 16 * 4, flops.byOp().get("matmul")[0]);
        }
    }

    @Test
    void backwardIntoIntermediateGradsFreesThemButKeepsLeafGrads() {
        Tensor x = Tensor.randn(3, DataType.FLOAT, 4, 4).requiresGrad(true);
        Tensor y = x.matmul(x).matmul(x).sum();
        y.backward();
        assertEquals(16, x.grad().length());
        assertFalse(x.grad().wasClosed());
    }
}
