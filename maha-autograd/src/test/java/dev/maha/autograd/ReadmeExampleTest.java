package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The README's API example, verbatim, so that it keeps compiling and working. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndTrains() {
        Tensor w = Tensor.randn(42, DataType.FLOAT, 64, 10).requiresGrad(true);   // a parameter
        Tensor x = Tensor.randn(7, DataType.FLOAT, 32, 64);                       // a batch
        Tensor y = Tensor.indices(new long[32], 32);                              // int64 class ids
        double before;
        try (Scope step = Scope.open()) {                 // frees every intermediate at the end
            Tensor loss = Functional.crossEntropy(x.matmul(w).relu(), y);
            loss.backward();                              // w.grad() now holds d loss / d w
            before = loss.item();
        }
        assertArrayEquals(new long[] {64, 10}, w.grad().shape());
        w.update(v -> v.subi(w.grad().muli(0.1)));        // a gradient step
        w.zeroGrad();
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 3, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].matmul(in[0]).tanh(), a);
        assertTrue(r.passed(), r.toString());

        assertNull(w.grad());
        try (NoGrad off = NoGrad.enter(); Scope s = Scope.open()) {
            double after = Functional.crossEntropy(x.matmul(w).relu(), y).item();
            assertTrue(after < before, "one step lowers the loss: " + before + " -> " + after);
        }
    }

    @Test
    void readmeUserOpWorks() {
        final class Square implements Op {
            public String name() { return "square"; }
            public INDArray forward(Context ctx, INDArray... in) { ctx.save(in[0]); return in[0].mul(in[0]); }
            public INDArray[] backward(Context ctx, INDArray g) { return new INDArray[] { g.mul(ctx.saved(0)).muli(2) }; }
        }
        Tensor x = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        Tensor.apply(new Square(), x).sum().backward();
        assertTrue(x.grad().getDouble(0) == 6.0);
    }
}
