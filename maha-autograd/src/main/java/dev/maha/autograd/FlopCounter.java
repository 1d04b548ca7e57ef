package dev.maha.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the FLOPs that ops report, split into forward and backward, per op name.
 * A multiply-add counts 2. Open one around any computation on the current thread; counters nest and
 * every open counter sees every op:
 *
 * <pre>{@code
 * try (FlopCounter flops = FlopCounter.open()) {
 *     Tensor loss = model.forward(x).sum();
 *     loss.backward();
 *     System.out.println(flops.forward() + " forward, " + flops.backward() + " backward");
 * }
 * }</pre>
 */
public final class FlopCounter implements AutoCloseable {
    private static final ThreadLocal<List<FlopCounter>> OPEN = ThreadLocal.withInitial(ArrayList::new);
    private static final ThreadLocal<boolean[]> IN_BACKWARD = ThreadLocal.withInitial(() -> new boolean[1]);

    private final Map<String, long[]> byOp = new TreeMap<>();
    private long forward;
    private long backward;
    private boolean closed;

    private FlopCounter() {
    }

    /** Starts counting on the current thread until {@link #close()}. */
    public static FlopCounter open() {
        FlopCounter c = new FlopCounter();
        OPEN.get().add(c);
        return c;
    }

    /** FLOPs reported by forward passes so far. */
    public long forward() {
        return forward;
    }

    /** FLOPs reported by backward passes so far. */
    public long backward() {
        return backward;
    }

    /** Forward plus backward. */
    public long total() {
        return forward + backward;
    }

    /** Per op name: {@code [forward, backward]} FLOPs (a copy, sorted by name). */
    public Map<String, long[]> byOp() {
        Map<String, long[]> copy = new TreeMap<>();
        byOp.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** Clears the counts. */
    public void reset() {
        forward = 0;
        backward = 0;
        byOp.clear();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        OPEN.get().remove(this);
    }

    static void record(String op, long count) {
        List<FlopCounter> open = OPEN.get();
        if (open.isEmpty()) return;
        boolean bwd = IN_BACKWARD.get()[0];
        for (FlopCounter c : open) {
            long[] slot = c.byOp.computeIfAbsent(op, k -> new long[2]);
            if (bwd) {
                c.backward += count;
                slot[1] += count;
            } else {
                c.forward += count;
                slot[0] += count;
            }
        }
    }

    /** Marks the current thread as running a backward pass; returns the previous state. */
    static boolean enterBackward() {
        boolean[] flag = IN_BACKWARD.get();
        boolean previous = flag[0];
        flag[0] = true;
        return previous;
    }

    static void exitBackward(boolean previous) {
        IN_BACKWARD.get()[0] = previous;
    }

    @Override
    public String toString() {
        return "FlopCounter{forward=" + forward + ", backward=" + backward + "}";
    }
}
