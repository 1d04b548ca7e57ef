package dev.maha.autograd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-call state of an {@link Op}: the arrays saved for backward, small attributes, FLOP reports and
 * which inputs need a gradient. One context belongs to one application of an op on one thread.
 */
public final class Context {
    private final Op op;
    private final long[][] inputShapes;
    private final boolean[] needsGrad;
    private final List<INDArray> saved = new ArrayList<>();
    private Map<String, Object> attributes;
    private boolean[] ownedSaved;
    private boolean released;

    Context(Op op, long[][] inputShapes, boolean[] needsGrad) {
        this.op = op;
        this.inputShapes = inputShapes;
        this.needsGrad = needsGrad;
    }

    /** The op this context belongs to. */
    public Op op() {
        return op;
    }

    /** Saves arrays for backward, in order; read them back with {@link #saved(int)}. */
    public void save(INDArray... arrays) {
        for (INDArray a : arrays) saved.add(a);
    }

    /** The {@code i}-th saved array. */
    public INDArray saved(int i) {
        if (released) {
            throw new IllegalStateException(op.name() + ": its saved buffers were already freed "
                    + "(backward ran once without retainGraph, or the scope that created it closed)");
        }
        return saved.get(i);
    }

    /** Number of saved arrays. */
    public int savedCount() {
        return saved.size();
    }

    /** Stores a small non-array attribute (an index table, a random seed, a solver certificate). */
    public void put(String key, Object value) {
        if (attributes == null) attributes = new HashMap<>();
        attributes.put(key, value);
    }

    /** Reads an attribute stored with {@link #put}. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    /** Shape of input {@code i} as given to forward. */
    public long[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    /** Number of inputs of this call. */
    public int inputCount() {
        return inputShapes.length;
    }

    /** Whether input {@code i} needs a gradient; backward may return null for it when not. */
    public boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /** Reports FLOPs of the current phase (forward or backward) to every open {@link FlopCounter}. */
    public void flops(long count) {
        FlopCounter.record(op.name(), count);
    }

    /** Marks which saved arrays the engine allocated on behalf of the op (freed on release). */
    void markOwnership(INDArray[] inputs, INDArray output) {
        ownedSaved = new boolean[saved.size()];
        for (int i = 0; i < saved.size(); i++) {
            INDArray s = saved.get(i);
            boolean borrowed = s == null || Memory.sharesBuffer(s, output);
            for (INDArray in : inputs) borrowed |= Memory.sharesBuffer(s, in);
            for (int j = 0; j < i && !borrowed; j++) borrowed = Memory.sharesBuffer(s, saved.get(j)) && ownedSaved[j];
            ownedSaved[i] = !borrowed;
        }
    }

    boolean aliasesSaved(INDArray a) {
        for (INDArray s : saved) if (Memory.sharesBuffer(a, s)) return true;
        return false;
    }

    boolean isReleased() {
        return released;
    }

    /** Frees the arrays the op allocated and drops every saved reference. Idempotent. */
    void release() {
        if (released) return;
        released = true;
        for (int i = 0; i < saved.size(); i++) {
            if (ownedSaved != null && ownedSaved[i]) Memory.release(saved.get(i));
        }
        saved.clear();
        attributes = null;
    }
}
