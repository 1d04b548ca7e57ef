package dev.maha.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.OpFixture;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code a + b} with broadcasting: [3,1,5] + [4,5] → [3,4,5]. */
class AddTest {
    @Test
    void matchesPyTorchFixture() {
        OpFixture.check("add", in -> in[0].add(in[1]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithBroadcasting() {
        Tensor a = Tensor.randn(1, DataType.DOUBLE, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.DOUBLE, 4, 1).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].add(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnPermutedInput() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 4, 2).permute(2, 0, 1)).requiresGrad(true);
        Tensor b = Tensor.randn(3, DataType.DOUBLE, 2, 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> in[0].add(in[1]), a, b);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void broadcastsOperandsOfDifferentRank() {
        // [3,1] + [4]: a case ND4J's own add rejects
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3, 1).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {10, 20, 30, 40}, 4).requiresGrad(true);
        Tensor y = a.add(b);
        Close.assertClose("sum", Nd4j.createFromArray(new double[][] {{11, 21, 31, 41}, {12, 22, 32, 42}, {13, 23, 33, 43}}),
                y.value(), 0);
        y.sum().backward();
        Close.assertClose("da", Nd4j.createFromArray(new double[][] {{4}, {4}, {4}}), a.grad(), 0);
        Close.assertClose("db", Nd4j.createFromArray(3.0, 3.0, 3.0, 3.0), b.grad(), 0);
    }

    @Test
    void sameInputTwiceAccumulatesBothGradients() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        a.add(a).sum().backward();
        Close.assertClose("d(a+a)/da", Nd4j.createFromArray(2.0, 2.0, 2.0), a.grad(), 0);
    }

    @Test
    void incompatibleShapesNameTheOpAndShapes() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 3, 4);
        Tensor b = Tensor.zeros(DataType.DOUBLE, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().startsWith("add:") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"),
                e.getMessage());
    }

    @Test
    void mixedDataTypesAreRejected() {
        Tensor a = Tensor.zeros(DataType.DOUBLE, 2);
        Tensor b = Tensor.zeros(DataType.FLOAT, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"),
                e.getMessage());
        assertEquals(DataType.DOUBLE, a.dtype());
    }
}
