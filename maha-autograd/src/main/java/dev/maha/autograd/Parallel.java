package dev.maha.autograd;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Splits a loop written in plain Java (the few kernels that run as Java loops over off-heap buffers)
 * across the machine's cores, the way ND4J's own kernels use them. The index range is cut into chunks
 * of a fixed size that does not depend on the number of cores, and the chunks run on a fork-join
 * pool of one worker per core. A body that writes only its own range needs no locking; a
 * body that accumulates keeps one partial result per chunk index, and the caller combines them in
 * chunk order, so results are bit-for-bit the same on every run and every machine.
 */
public final class Parallel {
    /**
     * The workers (daemon threads, one per core). A pool of its own rather than the common pool: JDK 17's
     * common-pool workers erase their thread-locals after each task, and the kernels keep their reusable
     * scratch buffers in thread-locals, so on the common pool every call allocated them afresh (about
     * 1 MB of garbage per depthwise convolution at 512 positions, which grew the JVM's resident memory).
     */
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    /** The body of a split loop: chunk number {@code chunk} covers indices {@code [start, end)}. */
    @FunctionalInterface
    public interface Chunk {
        void run(int chunk, int start, int end);
    }

    /** The number of chunks {@link #forChunks} cuts {@code [0, n)} into: ⌈n / size⌉. */
    public static int chunkCount(int n, int size) {
        check(n, size);
        return (n + size - 1) / size;
    }

    /**
     * Runs {@code body} once per chunk {@code k}, covering {@code [k·size, min(n, (k+1)·size))}, in parallel.
     *
     * @param n    the number of indices, ≥ 0
     * @param size the chunk size, ≥ 1 (a loop of one chunk runs on the calling thread)
     * @param body called once per chunk, concurrently
     */
    public static void forChunks(int n, int size, Chunk body) {
        int chunks = chunkCount(n, size);
        if (chunks <= 1) {
            if (n > 0) body.run(0, 0, n);
            return;
        }
        POOL.submit(() -> IntStream.range(0, chunks).parallel()
                .forEach(k -> body.run(k, k * size, (int) Math.min(n, (long) (k + 1) * size)))).join();
    }

    private static void check(int n, int size) {
        if (n < 0 || size < 1) {
            throw new IllegalArgumentException("Parallel: need n >= 0 and a chunk size >= 1, got n = " + n + ", size = " + size);
        }
    }
}
