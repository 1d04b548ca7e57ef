package dev.maha.optim;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A first-order training optimizer over named parameters (leaf tensors, float32 or float64).
 *
 * <p>{@link #step()} updates every parameter that has a gradient, in place through
 * {@link Tensor#update}; a parameter whose {@link Tensor#grad()} is null is skipped and its state
 * (moments, step count) is left untouched, as in PyTorch. State buffers are allocated once, at
 * construction, with each parameter's shape and data type; an update changes them in place and
 * frees its few temporaries at once, so a step leaves no native garbage to the collector.
 *
 * <p>The state dict ({@link #stateDict()}) has stable names, in parameter order:
 * <pre>
 *   step                  int64 []   number of step() calls
 *   lr                    float64 [] the current learning rate
 *   &lt;param&gt;.step          int64 []   updates this parameter received (its bias-correction t)
 *   &lt;param&gt;.&lt;buffer&gt;      the parameter's dtype and shape, e.g. w.exp_avg, w.momentum_buffer
 * </pre>
 * Loading it into an optimizer built with the same hyper-parameters over the same parameters
 * continues bit-identically. Hyper-parameters other than the learning rate come from the
 * constructor, not from the dict.
 *
 * <p>An optimizer owns native buffers: close it (or let the training run end) to free them.
 * Confined to one thread, like the tensors it updates.
 */
public abstract class Optimizer implements AutoCloseable {
    /** State-dict key of the number of {@link #step()} calls. */
    public static final String STEP = "step";
    /** State-dict key of the learning rate. */
    public static final String LR = "lr";

    private final String name;
    private final Map<String, Tensor> parameters;
    private final String[] names;
    private final Tensor[] params;
    private final String[] bufferNames;
    private final INDArray[][] buffers;
    private final long[] paramSteps;
    private final StateLayout layout;
    private long steps;
    private double lr;
    private boolean closed;

    /**
     * @param name        the optimizer's name in messages ("sgd", "adam", ...)
     * @param parameters  named leaf tensors, float32 or float64, each registered once
     * @param lr          the initial learning rate, finite and ≥ 0
     * @param bufferNames the per-parameter state buffers the update needs (zeros at start)
     */
    protected Optimizer(String name, Map<String, Tensor> parameters, double lr, List<String> bufferNames) {
        this.name = name;
        this.lr = HyperParameters.learningRate(name, lr);
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException(name + ": no parameters to optimize");
        }
        int n = parameters.size();
        this.names = new String[n];
        this.params = new Tensor[n];
        this.bufferNames = bufferNames.toArray(new String[0]);
        this.layout = new StateLayout(name);
        layout.counter(STEP);
        layout.rate(LR);
        Map<Tensor, String> seen = new IdentityHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            String key = e.getKey();
            Tensor p = e.getValue();
            checkParameter(key, p);
            String earlier = seen.put(p, key);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": one tensor is registered twice, as '" + earlier + "' and '" + key + "'");
            }
            names[i] = key;
            params[i] = p;
            layout.counter(key + "." + STEP);
            for (String b : this.bufferNames) layout.buffer(key + "." + b, p.dtype(), p.shape());
            i++;
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.paramSteps = new long[n];
        this.buffers = new INDArray[n][this.bufferNames.length];
        for (int k = 0; k < n; k++) {
            for (int b = 0; b < this.bufferNames.length; b++) buffers[k][b] = Nd4j.zeros(params[k].dtype(), params[k].shape());
        }
    }

    private void checkParameter(String key, Tensor p) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException(name + ": a parameter has a null or empty name");
        if (p == null) throw new IllegalArgumentException(name + ": parameter '" + key + "' is null");
        if (p.isClosed()) throw new IllegalArgumentException(name + ": parameter '" + key + "' was closed");
        if (!p.isLeaf()) {
            throw new IllegalArgumentException(name + ": parameter '" + key + "' is the result of op '" + p.opName()
                    + "'; only leaf tensors can be optimized");
        }
        DataType t = p.dtype();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + ": parameter '" + key + "' has data type " + t
                    + "; optimizers support FLOAT and DOUBLE");
        }
    }

    /**
     * Names parameters by their position ("0", "1", ..., as PyTorch numbers them in its state dicts),
     * in list order.
     */
    public static Map<String, Tensor> indexed(List<Tensor> parameters) {
        if (parameters == null) throw new IllegalArgumentException("Optimizer.indexed: parameter list is null");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) out.put(Integer.toString(i), parameters.get(i));
        return out;
    }

    /**
     * Updates {@code param} in place from {@code grad} and the parameter's {@code state} buffers
     * (updated in place too). {@code step} is the number of updates this parameter has received,
     * this one included (1 on the first). Must not modify {@code grad}; must free its temporaries.
     */
    protected abstract void update(INDArray param, INDArray grad, INDArray[] state, long step);

    // ------------------------------------------------------------------ training

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        checkOpen("step");
        for (int i = 0; i < params.length; i++) {
            if (params[i].isClosed()) {
                throw new IllegalStateException(name + ": parameter '" + names[i] + "' was closed (did a scope free it?)");
            }
            INDArray g = params[i].grad();
            if (g == null) continue;
            if (g.dataType() != params[i].dtype()) {
                throw new IllegalStateException(name + ": gradient of '" + names[i] + "' is " + g.dataType()
                        + " but the parameter is " + params[i].dtype());
            }
            long t = ++paramSteps[i];
            INDArray[] state = buffers[i];
            params[i].update(v -> update(v, g, state, t));
        }
        steps++;
    }

    /** Frees every parameter's gradient and sets it to null (PyTorch's {@code set_to_none}). */
    public final void zeroGrad() {
        checkOpen("zeroGrad");
        for (Tensor p : params) p.zeroGrad();
    }

    /** The learning rate the next {@link #step()} uses. */
    public final double learningRate() {
        return lr;
    }

    /** Sets the learning rate (finite, ≥ 0), e.g. from a schedule before each step. */
    public final void setLearningRate(double lr) {
        this.lr = HyperParameters.learningRate(name, lr);
    }

    /** Number of {@link #step()} calls so far (restored by {@link #loadStateDict}). */
    public final long steps() {
        return steps;
    }

    /** The optimizer's name in messages and docs. */
    public final String name() {
        return name;
    }

    /** The parameters, by name, in registration order (read-only). */
    public final Map<String, Tensor> parameters() {
        return parameters;
    }

    // ------------------------------------------------------------------ state

    /**
     * A copy of the full state: step counts, learning rate and every buffer (fresh arrays the caller
     * owns; later steps do not change them). See the class comment for the names.
     */
    public final Map<String, INDArray> stateDict() {
        checkOpen("stateDict");
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(STEP, Nd4j.scalar(steps));
        out.put(LR, Nd4j.scalar(lr));
        for (int i = 0; i < params.length; i++) {
            out.put(names[i] + "." + STEP, Nd4j.scalar(paramSteps[i]));
            for (int b = 0; b < bufferNames.length; b++) out.put(names[i] + "." + bufferNames[b], buffers[i][b].dup('c'));
        }
        return out;
    }

    /**
     * Restores a state dict. Strict: every entry must be present with the expected shape and data
     * type and no other entry may be; otherwise an IllegalArgumentException names each offending
     * entry and the shapes, and nothing is changed. The values are copied in.
     */
    public final void loadStateDict(Map<String, INDArray> state) {
        checkOpen("loadStateDict");
        layout.check(state);
        long total = state.get(STEP).getLong(0);
        for (String n : names) {
            long t = state.get(n + "." + STEP).getLong(0);
            if (t > total) {
                throw new IllegalArgumentException(name + ": cannot load the state dict: entry '" + n + "." + STEP + "' = " + t
                        + " exceeds the optimizer's step count '" + STEP + "' = " + total);
            }
        }
        steps = total;
        lr = state.get(LR).getDouble(0);
        for (int i = 0; i < params.length; i++) {
            paramSteps[i] = state.get(names[i] + "." + STEP).getLong(0);
            for (int b = 0; b < bufferNames.length; b++) buffers[i][b].assign(state.get(names[i] + "." + bufferNames[b]));
        }
    }

    /** Frees the state buffers. The parameters are the caller's and stay. Idempotent. */
    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        for (INDArray[] bs : buffers) {
            for (INDArray b : bs) Memory.release(b);
        }
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException(name + "." + what + ": the optimizer was closed");
    }
}
