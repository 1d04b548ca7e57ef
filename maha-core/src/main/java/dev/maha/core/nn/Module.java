package dev.maha.core.nn;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Shapes;
import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A node of a model: named parameters and named child modules, each in registration order, and a
 * training/evaluation mode. Parameters of the whole tree are addressed by dotted names, as in
 * PyTorch: a child registered as {@code "attn"} holding a child {@code "q"} with a parameter
 * {@code "weight"} gives {@code "attn.q.weight"}.
 *
 * <pre>{@code
 * final class Block extends Module implements Layer {
 *     private final Linear up = registerModule("up", new Linear(64, 256, true, 1));
 *     private final Linear down = registerModule("down", new Linear(256, 64, true, 2));
 *     public Tensor forward(Tensor x) { return down.forward(up.forward(x).gelu()); }   // [B, n, 64]
 * }
 * }</pre>
 *
 * <p><b>Parameters</b> are leaf {@link Tensor}s with {@code requiresGrad(true)}. The library's layers
 * create them as unmanaged tensors ({@link Tensor#of}), which no {@link dev.maha.autograd.Scope}
 * ever frees; still, build modules <em>outside</em> a training step's scope, and never register a
 * tensor that a scope owns (an op result, or a tensor made by {@code Tensor.randn} inside a scope):
 * the scope would free it when it closes. A tensor registered under several names (a tied weight)
 * is listed once, under the first name in traversal order.
 *
 * <p><b>State dicts</b> map dotted names to the live parameter arrays, in traversal order: a
 * module's own parameters, then each child's, depth first. {@link #loadStateDict} is strict and
 * all-or-nothing. <b>Flat buffers</b> ({@link #flatParameters()}, {@link #flatGradients()}) lay all
 * parameters end to end in the same order, for data-parallel all-reduce.
 *
 * <p>A module and its parameters belong to one thread at a time (like the tensors they hold).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ------------------------------------------------------------------ registration

    /**
     * Registers a parameter of this module under {@code name} (no dots, unique within the module)
     * and marks it {@code requiresGrad(true)}. It must be a floating-point leaf.
     *
     * @return {@code parameter}, for field initializers
     */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        checkName(name);
        if (parameter == null) throw new IllegalArgumentException(label() + ": parameter '" + name + "' is null");
        if (!parameter.isLeaf()) {
            throw new IllegalArgumentException(label() + ": parameter '" + name + "' is the result of op '"
                    + parameter.opName() + "'; parameters must be leaves (detach() it, or create it directly)");
        }
        if (!parameter.dtype().isFPType()) {
            throw new IllegalArgumentException(label() + ": parameter '" + name + "' has data type " + parameter.dtype()
                    + " " + Shapes.str(parameter.shape()) + "; parameters must be floating point");
        }
        parameter.requiresGrad(true);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a child module under {@code name} (no dots, unique within the module). Its
     * parameters appear as {@code name.<its names>}. A module cannot contain itself.
     *
     * @return {@code module}, for field initializers
     */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        if (module == null) throw new IllegalArgumentException(label() + ": module '" + name + "' is null");
        Module m = module;
        if (m == this || m.contains(this)) {
            throw new IllegalArgumentException(label() + ": registering module '" + name + "' (" + module.label()
                    + ") would make a cycle: it contains this module");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(label() + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(label() + ": name '" + name + "' is already registered");
        }
    }

    private boolean contains(Module m) {
        for (Module c : children.values()) {
            if (c == m || c.contains(m)) return true;
        }
        return false;
    }

    /** Short description used in error messages: the class name ("Module" for an anonymous class). */
    protected String label() {
        String name = getClass().getSimpleName();
        return name.isEmpty() ? "Module" : name;
    }

    // ------------------------------------------------------------------ traversal

    /**
     * Every parameter of the tree by dotted name: this module's own parameters in registration order,
     * then each child's (depth first, in registration order). A tensor registered twice appears once.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Module> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        collectParameters("", out, seen, visited);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Tensor> out, Set<Tensor> seen, Set<Module> visited) {
        if (!visited.add(this)) return;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectParameters(prefix + e.getKey() + ".", out, seen, visited);
        }
    }

    /** The parameters of {@link #namedParameters()}, in the same order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Every module of the tree by dotted name, this module first under {@code ""}, then the children
     * depth first in registration order. A module registered twice appears once.
     */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String name, Map<String, Module> out, Set<Module> visited) {
        if (!visited.add(this)) return;
        out.put(name, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectModules(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), out, visited);
        }
    }

    /** Number of parameter elements in the tree (tied tensors counted once). */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.length();
        return n;
    }

    // ------------------------------------------------------------------ mode

    /** Sets training mode on this module and every descendant. Returns this. */
    public final Module train() {
        return train(true);
    }

    /** Sets evaluation mode (dropout off) on this module and every descendant. Returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Sets the mode of this module and every descendant. Returns this. */
    public final Module train(boolean on) {
        for (Module m : namedModules().values()) m.training = on;
        return this;
    }

    /** Whether this module is in training mode (the default after construction). */
    public final boolean isTraining() {
        return training;
    }

    /** Frees and forgets the gradients of every parameter. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    // ------------------------------------------------------------------ state dicts

    /**
     * The live parameter values by dotted name, in {@link #namedParameters()} order. The arrays are
     * the parameters themselves, not copies: read them, copy them, or save them.
     */
    public final LinkedHashMap<String, INDArray> stateDict() {
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) out.put(e.getKey(), e.getValue().value());
        return out;
    }

    /**
     * Copies {@code state} into the parameters, strictly and all-or-nothing: every parameter must be
     * present, with its exact shape and a floating-point type, and no other name may appear. All
     * problems are collected and reported in one {@link IllegalArgumentException} naming each tensor
     * (and its shapes) before any parameter is modified. Values are copied into the existing
     * parameter arrays, converted to each parameter's data type.
     */
    public final void loadStateDict(Map<String, INDArray> state) {
        if (state == null) throw new IllegalArgumentException(label() + ".loadStateDict: state is null");
        LinkedHashMap<String, Tensor> params = namedParameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            String name = e.getKey();
            long[] expected = e.getValue().shape();
            if (!state.containsKey(name)) {
                problems.add("missing '" + name + "' " + Shapes.str(expected));
                continue;
            }
            INDArray v = state.get(name);
            if (v == null) {
                problems.add("'" + name + "' is null, expected " + Shapes.str(expected));
            } else if (!Arrays.equals(v.shape(), expected)) {
                problems.add("'" + name + "' has shape " + Shapes.str(v.shape()) + ", expected " + Shapes.str(expected));
            } else if (!v.dataType().isFPType()) {
                problems.add("'" + name + "' has data type " + v.dataType() + ", expected floating point ("
                        + e.getValue().dtype() + ")");
            }
        }
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            if (!params.containsKey(e.getKey())) {
                INDArray v = e.getValue();
                problems.add("unexpected '" + e.getKey() + "' " + (v == null ? "null" : Shapes.str(v.shape())));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(label() + ".loadStateDict: " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was loaded: "
                    + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            INDArray src = state.get(e.getKey());
            e.getValue().update(v -> copyInto(v, src));
        }
    }

    /** Copies {@code src} (same length) into {@code dst}, converting the data type; frees any temporary. */
    private static void copyInto(INDArray dst, INDArray src) {
        if (src == dst) return;
        INDArray cast = src.dataType() == dst.dataType() ? src : src.castTo(dst.dataType());
        INDArray shaped = Arrays.equals(cast.shape(), dst.shape()) ? cast : cast.reshape('c', dst.shape());
        dst.assign(shaped);
        if (shaped != cast && !Memory.sharesBuffer(shaped, cast) && !Memory.sharesBuffer(shaped, src)) Memory.release(shaped);
        if (cast != src) Memory.release(cast);
    }

    // ------------------------------------------------------------------ flat buffers

    /**
     * All parameters laid end to end (row-major, {@link #stateDict()} order) in one new 1-D array of
     * {@link #parameterCount()} elements, of the parameters' common data type.
     */
    public final INDArray flatParameters() {
        List<Tensor> params = parameters();
        INDArray flat = Nd4j.create(commonType(params, "flatParameters"), parameterCountOf(params));
        long offset = 0;
        for (Tensor p : params) {
            offset = putFlat(flat, offset, p.value());
        }
        return flat;
    }

    /**
     * Loads all parameters from a 1-D array laid out as {@link #flatParameters()} (converted to each
     * parameter's type). A length other than {@link #parameterCount()} is rejected before anything is
     * modified.
     */
    public final void loadFlatParameters(INDArray flat) {
        List<Tensor> params = parameters();
        checkFlat("loadFlatParameters", flat, parameterCountOf(params));
        long offset = 0;
        for (Tensor p : params) {
            INDArray part = segment(flat, offset, p.length());
            p.update(v -> copyInto(v, part));
            offset += p.length();
        }
    }

    /**
     * All gradients laid end to end, like {@link #flatParameters()}, with zeros for parameters whose
     * gradient is null. A new 1-D array.
     */
    public final INDArray flatGradients() {
        List<Tensor> params = parameters();
        INDArray flat = Nd4j.create(commonType(params, "flatGradients"), parameterCountOf(params));
        long offset = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                offset = putFlat(flat, offset, p.grad());
            } else {
                offset += p.length();
            }
        }
        return flat;
    }

    /**
     * Sets every parameter's gradient from a 1-D array laid out as {@link #flatGradients()} (after
     * an all-reduce, say): copied into the existing gradient, or into a new array where it was null.
     * A length other than {@link #parameterCount()} is rejected before anything is modified.
     */
    public final void loadFlatGradients(INDArray flat) {
        List<Tensor> params = parameters();
        checkFlat("loadFlatGradients", flat, parameterCountOf(params));
        long offset = 0;
        for (Tensor p : params) {
            INDArray part = segment(flat, offset, p.length());
            INDArray g = p.grad();
            if (g == null) {
                g = Nd4j.create(p.dtype(), p.shape());
                copyInto(g, part);
                p.setGrad(g);
            } else {
                copyInto(g, part);
            }
            offset += p.length();
        }
    }

    private static long putFlat(INDArray flat, long offset, INDArray v) {
        long n = v.length();
        INDArray src = v.reshape('c', new long[] {n});
        flat.get(NDArrayIndex.interval(offset, offset + n)).assign(src);
        if (!Memory.sharesBuffer(src, v)) Memory.release(src);
        return offset + n;
    }

    private static INDArray segment(INDArray flat, long offset, long n) {
        return flat.get(NDArrayIndex.interval(offset, offset + n));
    }

    private void checkFlat(String what, INDArray flat, long expected) {
        if (flat == null) throw new IllegalArgumentException(label() + "." + what + ": the array is null");
        if (flat.rank() != 1 || flat.length() != expected || !flat.dataType().isFPType()) {
            throw new IllegalArgumentException(label() + "." + what + ": expected a floating-point 1-D array of "
                    + expected + " elements (the parameter count), got " + flat.dataType() + " " + Shapes.str(flat.shape()));
        }
    }

    private static long parameterCountOf(List<Tensor> params) {
        long n = 0;
        for (Tensor p : params) n += p.length();
        return n;
    }

    private DataType commonType(List<Tensor> params, String what) {
        DataType t = null;
        for (Tensor p : params) {
            if (t == null) {
                t = p.dtype();
            } else if (t != p.dtype()) {
                throw new IllegalStateException(label() + "." + what + ": parameters mix data types " + t + " and "
                        + p.dtype() + "; a flat buffer needs one type");
            }
        }
        return t == null ? DataType.FLOAT : t;
    }

    @Override
    public String toString() {
        return label() + "(" + parameterCount() + " parameters)";
    }
}
