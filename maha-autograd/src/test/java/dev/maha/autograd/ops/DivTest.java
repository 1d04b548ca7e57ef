package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code a / b} with broadcasting: [3,1,5] − [4,5] → [3,4,5]. */
class DivTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("div", in -> in[0].div(in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcasting() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.uniform(2, 0.5, 2, DataType.DOUBLE, 4, 1).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].div(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesForAColumnAgainstAVector() {
        // [3,1] op [4] → [3,4]: a case where ND4J's own pairwise broadcasting fails
        Tensor a = Tensor.uniform(1, -2, -0.5, DataType.DOUBLE, 3, 1).requiresGrad(true);
        Tensor b = Tensor.uniform(2, 0.5, 2, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].div(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
        GradCheck.Report swapped = GradCheck.check(in -> in[1].div(in[0]), a, b);
        assertTrue(swapped.passed(), swapped.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnNonContiguousInputs() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        Tensor b = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 8).addi(0.5).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].div(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientsMatchTheQuotientRule() {
        Tensor a = Tensor.of(new double[] {3, -1}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {2, 4}, 2).requiresGrad(true);
        a.div(b).sum().backward();
        Close.assertClose("d(a/b)/da = 1/b", Nd4j.createFromArray(0.5, 0.25), a.grad(), 1e-15);
        Close.assertClose("d(a/b)/db = −a/b²", Nd4j.createFromArray(-0.75, 1.0 / 16), b.grad(), 1e-15);
    }

    @Test
    void forwardAndBackwardLeaveInputsUnchanged() {
        Tensor a = Tensor.randn(5, DataType.DOUBLE, 2, 3).requiresGrad(true);
        Tensor b = Tensor.uniform(6, 0.5, 2, DataType.DOUBLE, 3).requiresGrad(true);
        var a0 = a.value().dup();
        var b0 = b.value().dup();
        a.div(b).sum().backward();
        Close.assertAbsClose("a after div", a0, a.value(), 0);
        Close.assertAbsClose("b after div", b0, b.value(), 0);
    }

    @Test
    void float32ForwardMatchesHandComputedValues() {
        Tensor a = Tensor.of(new float[] {1.5f, -2f, 4f, 0.25f}, 2, 2);
        Tensor b = Tensor.of(new float[] {0.5f, 1f}, 2);
        Tensor y = a.div(b);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("a / b", Nd4j.createFromArray(new float[][] {{3f, -2f}, {8f, 0.25f}}), y.value(), 1e-7);
    }

    @Test
    void incompatibleShapesNameTheOpAndShapes() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 3, 4);
        Tensor b = Tensor.zeros(DataType.DOUBLE, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.div(b));
        assertTrue(e.getMessage().startsWith("div:") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"),
                e.getMessage());
    }
}
