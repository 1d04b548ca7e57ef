package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Off-heap memory stays flat over a long run: 300 steps of (512×512 matmul, softmax, sum, backward),
 * each in a scope. Every step allocates about 5 MB of native buffers; an engine that left them to
 * the garbage collector would grow by well over a gigabyte here (the heap garbage is too small to
 * trigger a collection), one that frees them stays within a few megabytes.
 */
class MemoryTest {
    private static final int STEPS = 300;
    private static final int WARM_UP = 20;
    private static final long BOUND = 48L << 20;

    @Test
    void residentMemoryDoesNotGrowAfterTheFirstSteps() {
        Tensor w = Tensor.randn(1, DataType.FLOAT, 512, 512).requiresGrad(true);
        Tensor x = Tensor.randn(2, DataType.FLOAT, 512, 512);
        long afterWarmUp = 0;
        long peak = 0;
        for (int step = 0; step < STEPS; step++) {
            try (Scope scope = Scope.open()) {
                Tensor loss = x.matmul(w).softmax(-1).mul(x).sum();
                loss.backward();
            }
            w.zeroGrad();
            long rss = Pointer.physicalBytes();
            if (step == WARM_UP) afterWarmUp = rss;
            if (step > WARM_UP) peak = Math.max(peak, rss);
        }
        long growth = peak - afterWarmUp;
        System.out.printf("MemoryTest: resident %.1f MB after %d steps, peak %.1f MB over the next %d (growth %.1f MB)%n",
                afterWarmUp / 1e6, WARM_UP, peak / 1e6, STEPS - WARM_UP, growth / 1e6);
        assertTrue(growth < BOUND, "resident memory grew by " + growth / (1 << 20) + " MB over "
                + (STEPS - WARM_UP) + " steps (bound " + (BOUND >> 20) + " MB)");
    }
}
