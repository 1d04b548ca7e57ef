package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OpProfilerTest {
    @Test
    void countsCallsAndTimeOfEveryOpForwardAndBackwardWhileOpen() {
        Tensor a = Tensor.randn(1, DataType.FLOAT, 64, 64).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.FLOAT, 64, 64).requiresGrad(true);
        try (OpProfiler outer = OpProfiler.open()) {
            try (OpProfiler inner = OpProfiler.open(); Scope s = Scope.open()) {
                a.matmul(b).matmul(b).sum().backward();
                Map<String, long[]> ops = inner.byOp();
                long[] mm = ops.get("matmul");
                assertEquals(2, mm[0], "forward calls of matmul");
                assertEquals(2, mm[2], "backward calls of matmul");
                assertTrue(mm[1] > 0 && mm[3] > 0, "matmul time recorded in both phases");
                assertTrue(ops.containsKey("sum"), ops.keySet().toString());
                long sumNanos = 0;
                for (long[] v : ops.values()) sumNanos += v[1] + v[3];
                assertEquals(sumNanos, inner.totalNanos());
                String table = inner.table(2);
                assertTrue(table.startsWith("op") && table.contains("matmul") && table.contains("all ops"), table);
            }
            a.zeroGrad();
            b.zeroGrad();
            assertEquals(2, outer.byOp().get("matmul")[0], "nested profilers both see every op");
        }
        try (OpProfiler later = OpProfiler.open(); Scope s = Scope.open()) {
            later.close();
            a.matmul(b);
            assertTrue(later.byOp().isEmpty(), "a closed profiler records nothing");
            assertFalse(OpProfiler.active());
        }
        a.close();
        b.close();
    }

    @Test
    void tableRejectsANonPositiveDivisor() {
        try (OpProfiler p = OpProfiler.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.table(0));
            assertTrue(e.getMessage().contains("divisor"), e.getMessage());
        }
    }
}
