package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ParallelTest {
    @Test
    void everyIndexIsVisitedOnceInChunksOfTheGivenSize() {
        for (int n : new int[] {0, 1, 63, 64, 65, 1000}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
            int[] chunkStarts = new int[Parallel.chunkCount(n, 64)];
            Parallel.forChunks(n, 64, (chunk, start, end) -> {
                chunkStarts[chunk] = start;
                assertEquals(Math.min(n, start + 64), end, "chunk " + chunk + " of n = " + n);
                for (int i = start; i < end; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of n = " + n);
            for (int k = 0; k < chunkStarts.length; k++) assertEquals(64 * k, chunkStarts[k]);
        }
        assertEquals(16, Parallel.chunkCount(1000, 64));
    }

    @Test
    void everyPartRunsOnceAndPartZeroOnTheCaller() {
        for (int parts : new int[] {1, 2, 5}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(parts);
            Thread[] ranOn = new Thread[parts];
            Parallel.forParts(parts, p -> {
                hits.incrementAndGet(p);
                ranOn[p] = Thread.currentThread();
            });
            for (int p = 0; p < parts; p++) assertEquals(1, hits.get(p), "part " + p + " of " + parts);
            assertSame(Thread.currentThread(), ranOn[0], "part 0 of " + parts);
        }
    }

    @Test
    void aFailingPartFailsTheCallAfterTheOthersFinish() {
        AtomicIntegerArray done = new AtomicIntegerArray(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forParts(3, p -> {
            if (p == 1) throw new IllegalStateException("part 1 failed");
            done.incrementAndGet(p);
        }));
        assertEquals("part 1 failed", e.getMessage());
        assertEquals(1, done.get(0));
        assertEquals(1, done.get(2));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forParts(0, p -> { }));
        IllegalStateException chunk = assertThrows(IllegalStateException.class, () -> Parallel.forChunks(100, 10, (k, from, to) -> {
            if (k == 7) throw new IllegalStateException("chunk 7 failed");
        }));
        assertEquals("chunk 7 failed", chunk.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(10, 0, (c, s, t) -> { }));
        assertTrue(e.getMessage().contains("size = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.chunkCount(-1, 4));
    }

    @Test
    void denseFromStartAcceptsPermutationsOfFreshArraysOnly() {
        INDArray fresh = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
        assertTrue(Memory.isDenseFromStart(fresh));
        assertTrue(Memory.isDenseFromStart(fresh.permute(0, 2, 1)));
        assertTrue(Memory.isDenseFromStart(fresh.permute(2, 0, 1)));
        INDArray narrowed = fresh.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertTrue(!Memory.isDenseFromStart(narrowed), "a slice skips elements");
        INDArray copy = Memory.denseFromStart(narrowed);
        assertTrue(Memory.isDenseFromStart(copy));
        assertArrayEquals(narrowed.dup('c').data().asDouble(), copy.data().asDouble());
    }

    @Test
    void workersKeepTheirThreadLocalsAcrossCalls() {
        // The kernels keep scratch buffers in thread-locals; a pool that erased them after each task (as
        // JDK 17's common pool does) would initialise one per chunk instead of one per thread.
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        ThreadLocal<Object> scratch = ThreadLocal.withInitial(() -> {
            inits.incrementAndGet();
            return new Object();
        });
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 20; call++) {
            Parallel.forChunks(64, 4, (chunk, start, end) -> {
                scratch.get();
                threads.add(Thread.currentThread());
                long begin = System.nanoTime();
                while (System.nanoTime() - begin < 200_000) {
                    Thread.onSpinWait();                            // long enough for every worker to take chunks
                }
            });
        }
        assertTrue(inits.get() <= threads.size(), inits.get() + " initialisations on " + threads.size() + " threads");
    }
}
