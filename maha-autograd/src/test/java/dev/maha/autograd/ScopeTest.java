package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Memory scopes free what was created inside, keep what is asked, and never touch parameters. */
class ScopeTest {
    @Test
    void closingTheScopeFreesIntermediatesButNotParametersOrTheirGrads() {
        Tensor w = Tensor.randn(1, DataType.FLOAT, 4, 4).requiresGrad(true);
        Tensor y;
        INDArray yValue;
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.randn(2, DataType.FLOAT, 3, 4);
            y = x.matmul(w);
            yValue = y.value();
            y.sum().backward();
            assertTrue(scope.size() >= 3);
        }
        assertTrue(y.isClosed());
        assertTrue(yValue.wasClosed());
        assertFalse(w.isClosed());
        assertFalse(w.grad().wasClosed());
        assertEquals(16, w.grad().length());
    }

    @Test
    void keptTensorsSurviveTheScopeWithoutHistory() {
        Tensor w = Tensor.randn(1, DataType.DOUBLE, 2, 2).requiresGrad(true);
        Tensor kept;
        try (Scope scope = Scope.open()) {
            kept = scope.keep(w.matmul(w));
        }
        assertFalse(kept.isClosed());
        assertFalse(kept.requiresGrad());
        assertEquals(4, kept.toDoubleArray().length);
        kept.close();
    }

    @Test
    void keepingAViewCopiesItSoTheBaseCanBeFreed() {
        Tensor w = Tensor.randn(1, DataType.DOUBLE, 2, 2);
        Tensor kept;
        double expected;
        try (Scope scope = Scope.open()) {
            Tensor base = w.matmul(w);
            Tensor view = Tensor.apply(new ViewOp(), base);
            expected = base.value().getDouble(1, 0);
            kept = scope.keep(view);
        }
        assertEquals(expected, kept.value().getDouble(0, 1), 0.0);
    }

    @Test
    void closedTensorsFailClearly() {
        Tensor y;
        try (Scope scope = Scope.open()) {
            y = Tensor.randn(1, DataType.FLOAT, 2).add(Tensor.randn(2, DataType.FLOAT, 2));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.add(y));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void scopesMustCloseInReverseOrder() {
        Scope outer = Scope.open();
        Scope inner = Scope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        assertEquals(null, Scope.current());
    }

    @Test
    void backwardThroughAClosedScopesGraphFails() {
        Tensor w = Tensor.randn(1, DataType.DOUBLE, 2, 2).requiresGrad(true);
        Tensor loss;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                loss = w.matmul(w).sum();
                inner.keep(loss);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        }
    }

    /** A transpose view (shares its input's buffer), to test keep() on views. */
    static final class ViewOp implements Op {
        @Override
        public String name() {
            return "view";
        }

        @Override
        public INDArray forward(Context ctx, INDArray... in) {
            return in[0].permute(1, 0);
        }

        @Override
        public INDArray[] backward(Context ctx, INDArray g) {
            return new INDArray[] {g.permute(1, 0)};
        }
    }
}
