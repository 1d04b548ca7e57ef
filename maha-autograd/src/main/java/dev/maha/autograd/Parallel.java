package dev.maha.autograd;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
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

    /** The number of workers (one per core). */
    public static int threads() {
        return POOL.getParallelism();
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
        try {
            POOL.submit(() -> IntStream.range(0, chunks).parallel()
                    .forEach(k -> body.run(k, k * size, (int) Math.min(n, (long) (k + 1) * size)))).join();
        } catch (RuntimeException e) {
            throw thrownByPart(e);
        }
    }

    /**
     * Runs {@code body(p)} for every part {@code p} in {@code [0, parts)} concurrently: part 0 on the calling
     * thread, the others on the workers. For a few large parts (one per core) this wakes one worker fewer
     * than {@link #forChunks} and keeps the caller busy instead of waiting.
     *
     * @param parts the number of parts, ≥ 1
     * @param body  called once per part, concurrently
     */
    public static void forParts(int parts, IntConsumer body) {
        if (parts < 1) throw new IllegalArgumentException("Parallel: need parts >= 1, got " + parts);
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int part = p;
            others[p - 1] = POOL.submit(() -> body.accept(part));
        }
        RuntimeException failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> t : others) {
            try {
                t.join();
            } catch (RuntimeException e) {
                RuntimeException original = thrownByPart(e);
                if (failure == null) failure = original;
                else failure.addSuppressed(original);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * The exception a part threw. Joining a task that failed on another thread rethrows a new exception of
     * the same type whose cause is the original (for the stack trace), with the cause's text as its message;
     * the caller should see the original.
     */
    private static RuntimeException thrownByPart(RuntimeException joined) {
        Throwable cause = joined.getCause();
        return cause instanceof RuntimeException && cause.getClass() == joined.getClass() ? (RuntimeException) cause : joined;
    }

    private static void check(int n, int size) {
        if (n < 0 || size < 1) {
            throw new IllegalArgumentException("Parallel: need n >= 0 and a chunk size >= 1, got n = " + n + ", size = " + size);
        }
    }
}
