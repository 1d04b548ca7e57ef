package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;

/** The five kinds of bad input of the issue: each message names the op and the shapes (or value). */
class ErrorMessagesTest {
    private static void assertMessage(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
    }

    @Test
    void shapeMismatch() {
        Tensor a = Tensor.zeros(DataType.FLOAT, 2, 3);
        assertMessage(IllegalArgumentException.class, () -> a.mul(Tensor.zeros(DataType.FLOAT, 4)), "mul", "[2, 3]", "[4]");
        assertMessage(IllegalArgumentException.class, () -> a.matmul(a), "matmul", "[2, 3]");
        assertMessage(IllegalArgumentException.class, () -> a.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.concat(0, a, Tensor.zeros(DataType.FLOAT, 2, 4)), "concat", "[2, 3]", "[2, 4]");
    }

    @Test
    void wrongDataType() {
        Tensor ints = Tensor.indices(new long[] {1, 2}, 2);
        assertMessage(IllegalArgumentException.class, () -> ints.softmax(0), "softmax", "LONG", "[2]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(DataType.FLOAT, 2).add(Tensor.zeros(DataType.DOUBLE, 2)),
                "add", "FLOAT", "DOUBLE");
        assertMessage(IllegalArgumentException.class,
                () -> Functional.embedding(Tensor.zeros(DataType.FLOAT, 4, 2), Tensor.zeros(DataType.FLOAT, 3)), "embedding", "[3]");
    }

    @Test
    void axisOutOfRange() {
        Tensor a = Tensor.zeros(DataType.FLOAT, 2, 3);
        assertMessage(IllegalArgumentException.class, () -> a.sum(false, 2), "sum", "axis 2", "rank 2");
        assertMessage(IllegalArgumentException.class, () -> a.softmax(-3), "softmax", "axis -3");
        assertMessage(IllegalArgumentException.class, () -> a.transpose(0, 5), "transpose", "5");
    }

    @Test
    void backwardOnANonScalarWithoutCotangent() {
        Tensor w = Tensor.zeros(DataType.DOUBLE, 2, 2).requiresGrad(true);
        Tensor y = w.matmul(w);
        assertMessage(IllegalArgumentException.class, y::backward, "backward", "matmul", "[2, 2]", "cotangent");
    }

    @Test
    void backwardTwice() {
        Tensor w = Tensor.zeros(DataType.DOUBLE, 2, 2).requiresGrad(true);
        Tensor y = w.matmul(w).sum();
        y.backward();
        assertMessage(IllegalStateException.class, y::backward, "backward", "sum", "already freed", "retainGraph");
    }
}
