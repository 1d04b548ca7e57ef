package dev.maha.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wall time spent inside each op's forward and backward, per op name, on the current thread
 * (like a minimal {@code torch.profiler}). Open one around a computation; profilers nest, and every
 * open profiler sees every op. When none is open the cost is one thread-local lookup per op.
 *
 * <pre>{@code
 * try (OpProfiler prof = OpProfiler.open()) {
 *     model.forward(x).sum().backward();
 *     System.out.print(prof.table());
 * }
 * }</pre>
 *
 * <p>Times are of {@link Op#forward} and {@link Op#backward} only: the engine's own bookkeeping
 * (gradient accumulation, freeing) and array work done outside ops are not attributed. ND4J's CPU
 * backend runs ops synchronously, so wall time is the op's time.
 */
public final class OpProfiler implements AutoCloseable {
    private static final ThreadLocal<List<OpProfiler>> OPEN = ThreadLocal.withInitial(ArrayList::new);

    /** Per op name: {@code [forward calls, forward ns, backward calls, backward ns]}. */
    private final Map<String, long[]> byOp = new TreeMap<>();
    private boolean closed;

    private OpProfiler() {
    }

    /** Starts timing ops on the current thread until {@link #close()}. */
    public static OpProfiler open() {
        OpProfiler p = new OpProfiler();
        OPEN.get().add(p);
        return p;
    }

    /** Per op name: {@code [forward calls, forward nanoseconds, backward calls, backward nanoseconds]} (a copy). */
    public Map<String, long[]> byOp() {
        Map<String, long[]> copy = new TreeMap<>();
        byOp.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** Total nanoseconds inside ops, forward and backward. */
    public long totalNanos() {
        long sum = 0;
        for (long[] v : byOp.values()) sum += v[1] + v[3];
        return sum;
    }

    /** Clears the timings. */
    public void reset() {
        byOp.clear();
    }

    /**
     * A text table, one op per line, slowest first: calls and milliseconds forward and backward.
     *
     * @param divisor divides every figure (e.g. the number of timed steps), ≥ 1
     */
    public String table(int divisor) {
        if (divisor < 1) throw new IllegalArgumentException("OpProfiler.table: divisor must be >= 1, got " + divisor);
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byOp.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1] + b.getValue()[3], a.getValue()[1] + a.getValue()[3]));
        StringBuilder sb = new StringBuilder(String.format("%-28s %8s %10s %8s %10s %10s%n", "op", "fwd n", "fwd ms", "bwd n", "bwd ms", "total ms"));
        for (Map.Entry<String, long[]> r : rows) {
            long[] v = r.getValue();
            sb.append(String.format("%-28s %8.1f %10.2f %8.1f %10.2f %10.2f%n", r.getKey(), (double) v[0] / divisor, v[1] / 1e6 / divisor,
                    (double) v[2] / divisor, v[3] / 1e6 / divisor, (v[1] + v[3]) / 1e6 / divisor));
        }
        sb.append(String.format("%-28s %8s %10s %8s %10s %10.2f%n", "all ops", "", "", "", "", totalNanos() / 1e6 / divisor));
        return sb.toString();
    }

    /** {@link #table(int)} with divisor 1. */
    public String table() {
        return table(1);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        OPEN.get().remove(this);
    }

    /** Whether any profiler is open on this thread (checked before reading the clock). */
    static boolean active() {
        return !OPEN.get().isEmpty();
    }

    static void record(String op, boolean backward, long nanos) {
        for (OpProfiler p : OPEN.get()) {
            long[] slot = p.byOp.computeIfAbsent(op, k -> new long[4]);
            slot[backward ? 2 : 0]++;
            slot[backward ? 3 : 1] += nanos;
        }
    }
}
