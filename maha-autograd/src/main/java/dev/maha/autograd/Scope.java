package dev.maha.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * A memory scope: every tensor that an op creates while the scope is open on this thread, and every
 * buffer saved for its backward, is freed when the scope closes, except the tensors passed to
 * {@link #keep}. Tensors created before the scope opened (model parameters) are never touched; the
 * gradients that backward accumulates into them belong to them, not to the scope.
 *
 * <pre>{@code
 * try (Scope step = Scope.open()) {
 *     Tensor loss = model.forward(batch).loss();
 *     loss.backward();
 *     optimizer.step();
 *     lastLoss = loss.item();          // read what you need before the scope closes
 * }
 * }</pre>
 *
 * <p>Scopes nest and are confined to the thread that opened them; they must be closed in reverse
 * order of opening (try-with-resources does that). A kept tensor moves to the enclosing scope, or
 * becomes unmanaged (left to the caller's {@link Tensor#close()}) when there is none.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread owner = Thread.currentThread();
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Context> contexts = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
    }

    /** Opens a scope on the current thread; it becomes the current scope until closed. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    public static Scope current() {
        return CURRENT.get();
    }

    /**
     * Keeps {@code t} alive past this scope: it moves to the enclosing scope (or becomes unmanaged)
     * and loses its history, like {@link Tensor#detach()}. If its value is a view of a buffer this
     * scope frees, the value is copied first. Returns {@code t}.
     */
    public Tensor keep(Tensor t) {
        checkOpen("keep");
        if (!tensors.remove(t)) {
            throw new IllegalArgumentException("Scope.keep: tensor " + t + " was not created in this scope");
        }
        t.adoptForKeep();
        if (parent != null) parent.tensors.add(t);
        return t;
    }

    static void track(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) s.tensors.add(t);
    }

    static void track(Context c) {
        Scope s = CURRENT.get();
        if (s != null) s.contexts.add(c);
    }

    /** Number of tensors this scope will free (for tests and diagnostics). */
    public int size() {
        return tensors.size();
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException("Scope." + what + ": the scope is already closed");
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("Scope." + what + ": scope opened on thread " + owner.getName()
                    + " used on " + Thread.currentThread().getName() + "; scopes are confined to one thread");
        }
    }

    /** Frees everything created in the scope that was not kept. */
    @Override
    public void close() {
        if (closed) return;
        checkOpen("close");
        if (CURRENT.get() != this) {
            throw new IllegalStateException("Scope.close: an inner scope is still open; close scopes in reverse order");
        }
        closed = true;
        CURRENT.set(parent);
        for (Context c : contexts) c.release();
        for (Tensor t : tensors) t.close();
        contexts.clear();
        tensors.clear();
    }
}
