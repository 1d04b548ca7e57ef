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

/** {@code a − b} with broadcasting: [3,1,5] − [4,5] → [3,4,5]. */
class SubTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("sub", in -> in[0].sub(in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcasting() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 4, 1).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sub(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesForAColumnAgainstAVector() {
        // [3,1] op [4] → [3,4]: a case where ND4J's own pairwise broadcasting fails
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 3, 1).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sub(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
        GradCheck.Report swapped = GradCheck.check(in -> in[1].sub(in[0]), a, b);
        assertTrue(swapped.passed(), swapped.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnNonContiguousInputs() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        Tensor b = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].sub(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void subtractingItselfGivesZeroGradient() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        a.sub(a).sum().backward();
        Close.assertAbsClose("d(a−a)/da", Nd4j.zeros(DataType.DOUBLE, 3), a.grad(), 0);
    }

    @Test
    void float32ForwardMatchesHandComputedValues() {
        Tensor a = Tensor.of(new float[] {1.5f, -2f, 4f, 0.25f}, 2, 2);
        Tensor b = Tensor.of(new float[] {0.5f, 1f}, 2);
        Tensor y = a.sub(b);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("a − b", Nd4j.createFromArray(new float[][] {{1f, -3f}, {3.5f, -0.75f}}), y.value(), 1e-7);
    }

    @Test
    void incompatibleShapesNameTheOpAndShapes() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 3, 4);
        Tensor b = Tensor.zeros(DataType.DOUBLE, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.sub(b));
        assertTrue(e.getMessage().startsWith("sub:") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"),
                e.getMessage());
    }
}
