package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.FlopCounter;
import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code a · b} with broadcasting: [3,1,5] − [4,5] → [3,4,5]. */
class MulTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("mul", in -> in[0].mul(in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcasting() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 4, 1).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].mul(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesForAColumnAgainstAVector() {
        // [3,1] op [4] → [3,4]: a case where ND4J's own pairwise broadcasting fails
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 3, 1).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].mul(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
        GradCheck.Report swapped = GradCheck.check(in -> in[1].mul(in[0]), a, b);
        assertTrue(swapped.passed(), swapped.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnNonContiguousInputs() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        Tensor b = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8)))
                .requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].mul(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithATransposedLowerRankOperand() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        Tensor b = Tensor.of(Nd4j.randn(DataType.DOUBLE, 4, 3).transpose()).requiresGrad(true);   // [3, 4], 'f' order
        GradCheck.Report r = GradCheck.check(in -> in[1].mul(in[0]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void squaringThroughMulGivesTwiceTheInput() {
        Tensor a = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        a.mul(a).sum().backward();
        Close.assertClose("d(a·a)/da", Nd4j.createFromArray(2.0, -4.0, 6.0), a.grad(), 0);
    }

    @Test
    void onlyTheInputThatNeedsAGradientGetsOne() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2);
        a.mul(b).sum().backward();
        Close.assertClose("d(a·b)/da", Nd4j.createFromArray(3.0, 4.0), a.grad(), 0);
        assertEquals(null, b.grad());
    }

    @Test
    void countsOneFlopPerOutputElementForward() {
        try (FlopCounter flops = FlopCounter.open()) {
            Tensor.zeros(DataType.DOUBLE, 3, 1).mul(Tensor.zeros(DataType.DOUBLE, 4));
            assertEquals(12, flops.forward());
        }
    }

    @Test
    void float32ForwardMatchesHandComputedValues() {
        Tensor a = Tensor.of(new float[] {1.5f, -2f, 4f, 0.25f}, 2, 2);
        Tensor b = Tensor.of(new float[] {0.5f, 1f}, 2);
        Tensor y = a.mul(b);
        assertEquals(DataType.FLOAT, y.dtype());
        Close.assertClose("a · b", Nd4j.createFromArray(new float[][] {{0.75f, -2f}, {2f, 0.25f}}), y.value(), 1e-7);
    }

    @Test
    void incompatibleShapesNameTheOpAndShapes() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 3, 4);
        Tensor b = Tensor.zeros(DataType.DOUBLE, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(b));
        assertTrue(e.getMessage().startsWith("mul:") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"),
                e.getMessage());
    }
}
