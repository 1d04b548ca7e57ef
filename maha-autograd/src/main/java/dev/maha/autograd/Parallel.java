package dev.maha.autograd;

import java.util.stream.IntStream;

/**
 * Splits a loop written in plain Java (the few kernels that run as Java loops over off-heap buffers)
 * across the machine's cores, the way ND4J's own kernels use them. The index range is cut into chunks
 * of a fixed size that does not depend on the number of cores, and the chunks run on the common
 * fork-join pool plus the calling thread. A body that writes only its own range needs no locking; a
 * body that accumulates keeps one partial result per chunk index, and the caller combines them in
 * chunk order, so results are bit-for-bit the same on every run and every machine.
 */
public final class Parallel {
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
        IntStream.range(0, chunks).parallel().forEach(k -> body.run(k, k * size, (int) Math.min(n, (long) (k + 1) * size)));
    }

    private static void check(int n, int size) {
        if (n < 0 || size < 1) {
            throw new IllegalArgumentException("Parallel: need n >= 0 and a chunk size >= 1, got n = " + n + ", size = " + size);
        }
    }
}
