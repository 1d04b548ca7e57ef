package dev.maha.autograd;

/**
 * Turns off graph recording on the current thread for the duration of a try-with-resources block:
 *
 * <pre>{@code
 * try (NoGrad off = NoGrad.enter()) {
 *     Tensor logits = model.forward(batch);   // no tape, nothing saved for backward
 * }
 * }</pre>
 * Blocks nest; the previous mode returns on close. The mode is per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);
    private final boolean previous;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private NoGrad() {
        previous = ENABLED.get();
        ENABLED.set(Boolean.FALSE);
    }

    /** Disables recording until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether ops on this thread are currently recorded for backward. */
    public static boolean isGradEnabled() {
        return ENABLED.get();
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("NoGrad: closed on thread " + Thread.currentThread().getName()
                    + " but entered on " + owner.getName() + "; grad mode is per thread");
        }
        closed = true;
        ENABLED.set(previous);
    }
}
