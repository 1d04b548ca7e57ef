package dev.maha.autograd;

import java.util.Arrays;
import java.util.function.Consumer;
import dev.maha.autograd.ops.Add;
import dev.maha.autograd.ops.MatMul;
import dev.maha.autograd.ops.Sum;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An n-dimensional array with reverse-mode automatic differentiation, over an ND4J {@link INDArray}.
 *
 * <p>Every op returns a new tensor; values are never modified in place from the user's side (only
 * an optimizer updates a leaf through {@link #update}). When grad mode is on ({@link NoGrad}) and an
 * input requires a gradient, the op is recorded: {@link #backward()} then runs the recorded ops in
 * reverse and accumulates gradients into the leaves' {@link #grad()}.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(42, DataType.FLOAT, 4, 3).requiresGrad(true);
 * Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, 8, 4));
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * INDArray dw = w.grad();   // [4, 3]
 * }</pre>
 *
 * <p>Float32 is the default data type; float64 is used for gradient checks. A tensor and its graph
 * are confined to one thread.
 */
public final class Tensor implements AutoCloseable {
    private INDArray value;
    private INDArray grad;
    private boolean requiresGrad;
    private Node node;
    /** False when the value is a view of another tensor's buffer (or a caller's array). */
    private boolean ownsValue;
    private boolean closed;

    private Tensor(INDArray value, boolean ownsValue) {
        this.value = value;
        this.ownsValue = ownsValue;
    }

    // ------------------------------------------------------------------ creation

    /**
     * Wraps an existing array without copying. The tensor does not own the array: closing it (or its
     * scope) leaves the array to the caller.
     */
    public static Tensor of(INDArray value) {
        if (value == null) throw new IllegalArgumentException("Tensor.of: value is null");
        return new Tensor(value, false);
    }

    /** Takes ownership of a freshly created array: it is freed with the tensor or its scope. */
    public static Tensor owning(INDArray value) {
        if (value == null) throw new IllegalArgumentException("Tensor.owning: value is null");
        Tensor t = new Tensor(value, true);
        Scope.track(t);
        return t;
    }

    /** A tensor of the given values and shape, float64. */
    public static Tensor of(double[] values, long... shape) {
        return owning(Nd4j.create(values, shape, DataType.DOUBLE));
    }

    /** A tensor of the given values and shape, float32. */
    public static Tensor of(float[] values, long... shape) {
        return owning(Nd4j.create(values, shape, DataType.FLOAT));
    }

    /** An int64 tensor of indices (embedding ids, targets), never differentiable. */
    public static Tensor indices(long[] values, long... shape) {
        return owning(Nd4j.create(values, shape, DataType.LONG));
    }

    /** Zeros. */
    public static Tensor zeros(DataType dtype, long... shape) {
        return owning(Nd4j.zeros(dtype, shape));
    }

    /** Ones. */
    public static Tensor ones(DataType dtype, long... shape) {
        return owning(Nd4j.ones(dtype, shape));
    }

    /** Every element equal to {@code fill}. */
    public static Tensor full(double fill, DataType dtype, long... shape) {
        return owning(Nd4j.valueArrayOf(shape, fill, dtype));
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double v, DataType dtype) {
        return owning(Nd4j.scalar(dtype, v));
    }

    /** Standard normal values from a generator seeded with {@code seed} (reproducible). */
    public static Tensor randn(long seed, DataType dtype, long... shape) {
        INDArray a = Nd4j.create(dtype, shape);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(a, 0.0, 1.0),
                Nd4j.getRandomFactory().getNewRandomInstance(seed));
        return owning(a);
    }

    /** Uniform values in {@code [lo, hi)} from a generator seeded with {@code seed}. */
    public static Tensor uniform(long seed, double lo, double hi, DataType dtype, long... shape) {
        INDArray a = Nd4j.create(dtype, shape);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.UniformDistribution(a, lo, hi),
                Nd4j.getRandomFactory().getNewRandomInstance(seed));
        return owning(a);
    }

    // ------------------------------------------------------------------ the tape

    /**
     * Applies an op (library or user-defined) to tensors and records it for backward when grad mode
     * is on and an input requires a gradient. Floating-point inputs must share one data type.
     */
    public static Tensor apply(Op op, Tensor... inputs) {
        INDArray[] values = new INDArray[inputs.length];
        long[][] shapes = new long[inputs.length][];
        boolean[] needsGrad = new boolean[inputs.length];
        boolean record = false;
        DataType floating = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null) throw new IllegalArgumentException(op.name() + ": input " + i + " is null");
            values[i] = t.value(op.name());
            shapes[i] = values[i].shape().clone();  // ND4J returns its own array, not a copy
            DataType dt = values[i].dataType();
            if (dt.isFPType()) {
                if (floating != null && floating != dt) {
                    throw new IllegalArgumentException(op.name() + ": inputs mix data types " + floating + " and " + dt
                            + " (input " + i + " " + Shapes.str(shapes[i]) + "); cast one of them first");
                }
                floating = dt;
            }
            needsGrad[i] = t.requiresGrad && NoGrad.isGradEnabled();
            record |= needsGrad[i];
        }
        Context ctx = new Context(op, shapes, needsGrad);
        boolean timed = OpProfiler.active();
        long start = timed ? System.nanoTime() : 0;
        INDArray out = op.forward(ctx, values);
        if (timed) OpProfiler.record(op.name(), false, System.nanoTime() - start);
        if (out == null) throw new IllegalStateException(op.name() + ": forward returned null");
        boolean aliasesInput = false;
        for (INDArray v : values) aliasesInput |= Memory.sharesBuffer(out, v);
        Tensor result = new Tensor(out, !aliasesInput);
        Scope.track(result);
        ctx.markOwnership(values, out);
        if (record) {
            result.node = new Node(op, ctx, inputs.clone());
            result.requiresGrad = true;
            Scope.track(ctx);
        } else {
            ctx.release();
        }
        return result;
    }

    /** Runs backward from this scalar: {@code d this / d leaf} accumulates into each leaf's grad. */
    public void backward() {
        Backward.run(this, null, false);
    }

    /** Runs backward with an explicit cotangent of this tensor's shape. */
    public void backward(INDArray cotangent) {
        Backward.run(this, cotangent, false);
    }

    /**
     * Runs backward with an explicit cotangent (null for a scalar). With {@code retainGraph} the
     * saved buffers are kept so that backward can run again; otherwise they are freed as it goes.
     */
    public void backward(INDArray cotangent, boolean retainGraph) {
        Backward.run(this, cotangent, retainGraph);
    }

    // ------------------------------------------------------------------ state

    /** The value. Read it, never modify it: other tensors and saved buffers may share it. */
    public INDArray value() {
        return value("value");
    }

    INDArray value(String op) {
        if (closed) throw new IllegalStateException(op + ": tensor " + describe() + " was closed (its scope ended)");
        return value;
    }

    /** The accumulated gradient of a leaf after {@link #backward()} (a row-major array the tensor owns), or null. */
    public INDArray grad() {
        return grad;
    }

    /** Whether gradients flow to (or through) this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf as requiring a gradient (a parameter). Only leaves, and only floating point.
     * Returns this.
     */
    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: " + describe() + " is the result of op '" + node.op.name()
                    + "'; only leaves can be marked; use detach() first");
        }
        if (on && !value.dataType().isFPType()) {
            throw new IllegalArgumentException("requiresGrad: " + describe() + " has data type " + value.dataType()
                    + "; only floating-point tensors can require gradients");
        }
        requiresGrad = on;
        return this;
    }

    /** True when no op produced this tensor (a parameter or input). */
    public boolean isLeaf() {
        return node == null;
    }

    /** Name of the op that produced this tensor, or null for a leaf. */
    public String opName() {
        return node == null ? null : node.op.name();
    }

    Node node() {
        return node;
    }

    /**
     * Adds {@code g} into this leaf's gradient; the engine hands over ownership when {@code owned}. A leaf's
     * gradient is always a row-major array of its own (an op may return a permuted or strided gradient,
     * and optimizers, flat-buffer export and ND4J's own slicing expect plain arrays).
     */
    void accumulateGrad(INDArray g, boolean owned) {
        if (grad == null) {
            if (owned && Memory.isRowMajorDense(g)) {
                grad = g;
            } else {
                grad = g.dup('c');
                if (owned) Memory.release(g);
            }
        } else {
            grad.addi(g);
            if (owned) Memory.release(g);
        }
    }

    /** Frees and forgets the gradient. */
    public void zeroGrad() {
        Memory.release(grad);
        grad = null;
    }

    /** Replaces the gradient (for clipping, all-reduce of data-parallel training, or loading). */
    public void setGrad(INDArray g) {
        if (g != null && !Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape())
                    + " does not match tensor shape " + Shapes.str(value.shape()));
        }
        if (grad != g) Memory.release(grad);
        grad = g;
    }

    /**
     * Modifies a leaf's value in place (what optimizers do). Fails on non-leaves, whose values
     * other recorded ops may have saved.
     */
    public void update(Consumer<INDArray> inPlace) {
        if (node != null) {
            throw new IllegalStateException("update: " + describe() + " is the result of op '" + node.op.name()
                    + "'; only leaves can be updated in place");
        }
        inPlace.accept(value("update"));
    }

    /** A new leaf sharing this value, with no history and no gradient. */
    public Tensor detach() {
        Tensor t = new Tensor(value("detach"), false);
        return t;
    }

    /** Called by {@link Scope#keep}: make the value self-owned and drop the history. */
    void adoptForKeep() {
        if (!ownsValue) {
            value = value.dup();
            ownsValue = true;
        }
        if (node != null) {
            node = null;
            requiresGrad = false;
        }
    }

    /** Frees the value (if this tensor owns it) and the gradient. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ownsValue) Memory.release(value);
        Memory.release(grad);
        grad = null;
        node = null;
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ reading

    /** The shape (a copy). */
    public long[] shape() {
        return value("shape").shape().clone();
    }

    /** Size of one axis (negative counts from the end). */
    public long size(int axis) {
        return value.size(Shapes.axis("size", axis, value.rank()));
    }

    /** Number of axes. */
    public int rank() {
        return value("rank").rank();
    }

    /** Number of elements. */
    public long length() {
        return value("length").length();
    }

    /** The data type. */
    public DataType dtype() {
        return value("dtype").dataType();
    }

    /** The value of a one-element tensor. */
    public double item() {
        INDArray v = value("item");
        if (v.length() != 1) {
            throw new IllegalStateException("item: tensor has shape " + Shapes.str(v.shape()) + ", not one element");
        }
        return v.getDouble(0);
    }

    /** The elements in row-major order, as doubles. */
    public double[] toDoubleArray() {
        return value("toDoubleArray").dup('c').data().asDouble();
    }

    /** A copy converted to another data type (differentiable between floating types). */
    public Tensor cast(DataType dtype) {
        return apply(new dev.maha.autograd.ops.Cast(dtype), this);
    }

    private String describe() {
        return (value == null ? "tensor" : value.dataType() + Shapes.str(value.shape()));
    }

    @Override
    public String toString() {
        return "Tensor(" + describe() + (node != null ? ", op=" + node.op.name() : "")
                + (requiresGrad ? ", requiresGrad" : "") + (closed ? ", closed" : "") + ")";
    }

    // ================================================================== ops
    // Each method applies one op class of dev.maha.autograd.ops; the math lives there.

    // ------------------------------------------------------------------ arithmetic (broadcasting)

    /** Element-wise sum with NumPy broadcasting. */
    public Tensor add(Tensor other) {
        return apply(new Add(), this, other);
    }

    /** Element-wise difference with NumPy broadcasting. */
    public Tensor sub(Tensor other) {
        return apply(new dev.maha.autograd.ops.Sub(), this, other);
    }

    /** Element-wise product with NumPy broadcasting. */
    public Tensor mul(Tensor other) {
        return apply(new dev.maha.autograd.ops.Mul(), this, other);
    }

    /** Element-wise quotient with NumPy broadcasting. */
    public Tensor div(Tensor other) {
        return apply(new dev.maha.autograd.ops.Div(), this, other);
    }

    /** Element-wise negation. */
    public Tensor neg() {
        return apply(new dev.maha.autograd.ops.Neg(), this);
    }

    /** Element-wise power with a constant exponent. */
    public Tensor pow(double exponent) {
        return apply(new dev.maha.autograd.ops.Pow(exponent), this);
    }

    /** Adds a constant to every element. */
    public Tensor add(double c) {
        return apply(dev.maha.autograd.ops.ScalarAffine.add(c), this);
    }

    /** Subtracts a constant from every element. */
    public Tensor sub(double c) {
        return apply(dev.maha.autograd.ops.ScalarAffine.sub(c), this);
    }

    /** Multiplies every element by a constant. */
    public Tensor mul(double c) {
        return apply(dev.maha.autograd.ops.ScalarAffine.mul(c), this);
    }

    /** Divides every element by a constant. */
    public Tensor div(double c) {
        return apply(dev.maha.autograd.ops.ScalarAffine.div(c), this);
    }

    /** A constant minus this tensor, element-wise: {@code c − x}. */
    public Tensor rsub(double c) {
        return apply(dev.maha.autograd.ops.ScalarAffine.rsub(c), this);
    }

    // ------------------------------------------------------------------ unary math

    /** Element-wise exponential. */
    public Tensor exp() {
        return apply(new dev.maha.autograd.ops.Exp(), this);
    }

    /** Element-wise natural logarithm. */
    public Tensor log() {
        return apply(new dev.maha.autograd.ops.Log(), this);
    }

    /** Element-wise square root. */
    public Tensor sqrt() {
        return apply(new dev.maha.autograd.ops.Sqrt(), this);
    }

    /** Element-wise absolute value. */
    public Tensor abs() {
        return apply(new dev.maha.autograd.ops.Abs(), this);
    }

    /** Element-wise hyperbolic tangent. */
    public Tensor tanh() {
        return apply(new dev.maha.autograd.ops.Tanh(), this);
    }

    /** Element-wise logistic sigmoid. */
    public Tensor sigmoid() {
        return apply(new dev.maha.autograd.ops.Sigmoid(), this);
    }

    /** Element-wise {@code max(x, 0)}. */
    public Tensor relu() {
        return apply(new dev.maha.autograd.ops.Relu(), this);
    }

    /** Element-wise GELU, exact erf form {@code 0.5·x·(1 + erf(x/√2))}. */
    public Tensor gelu() {
        return apply(new dev.maha.autograd.ops.Gelu(), this);
    }

    /** Element-wise {@code log(1 + exp(x))}, computed stably. */
    public Tensor softplus() {
        return apply(new dev.maha.autograd.ops.Softplus(), this);
    }

    // ------------------------------------------------------------------ shape and indexing

    /** The same elements in a new shape (row-major order; one entry may be -1); a view when possible. */
    public Tensor reshape(long... shape) {
        return apply(new dev.maha.autograd.ops.Reshape(shape), this);
    }

    /** Same as {@link #reshape} (PyTorch's name); unlike PyTorch it copies a non-contiguous input instead of failing. */
    public Tensor view(long... shape) {
        return apply(dev.maha.autograd.ops.Reshape.view(shape), this);
    }

    /** Swaps axes {@code a} and {@code b} (a view). */
    public Tensor transpose(int a, int b) {
        return apply(new dev.maha.autograd.ops.Transpose(a, b), this);
    }

    /** Reorders the axes, {@code out.shape[i] = in.shape[perm[i]]} (PyTorch's rule; a view). */
    public Tensor permute(int... perm) {
        return apply(new dev.maha.autograd.ops.Permute(perm), this);
    }

    /** Positions {@code [start, end)} of {@code axis}, Python rules (negative counts from the end, clamped); a view. */
    public Tensor slice(int axis, long start, long end) {
        return apply(new dev.maha.autograd.ops.Slice(axis, start, end), this);
    }

    /** Positions {@code start, start+step, ...} below {@code end} of {@code axis}, Python rules, {@code step > 0}; a view. */
    public Tensor slice(int axis, long start, long end, long step) {
        return apply(new dev.maha.autograd.ops.Slice(axis, start, end, step), this);
    }

    /** {@code length} positions of {@code axis} from {@code start} (negative counts from the end), which must fit; a view. */
    public Tensor narrow(int axis, long start, long length) {
        return apply(dev.maha.autograd.ops.Slice.narrow(axis, start, length), this);
    }

    /** Positions {@code indices} (rank-1 int64/int32, repeats allowed) of {@code axis}; the gradient scatter-adds. */
    public Tensor indexSelect(int axis, Tensor indices) {
        return apply(new dev.maha.autograd.ops.IndexSelect(axis), this, indices);
    }

    /** Joins tensors along an existing axis; they must be equal on every other axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        return apply(new dev.maha.autograd.ops.Concat(axis), parts);
    }

    /** Joins equal-shaped tensors along a new axis at position {@code axis} of the result. */
    public static Tensor stack(int axis, Tensor... parts) {
        return apply(new dev.maha.autograd.ops.Stack(axis), parts);
    }

    /** Adds {@code before} and {@code after} positions holding {@code value} to {@code axis}. */
    public Tensor pad(int axis, long before, long after, double value) {
        return apply(new dev.maha.autograd.ops.Pad(axis, before, after, value), this);
    }

    /** Inserts an axis of size 1 at position {@code axis} of the result. */
    public Tensor unsqueeze(int axis) {
        return apply(new dev.maha.autograd.ops.Unsqueeze(axis), this);
    }

    /** Removes {@code axis} if its size is 1, else returns the same values (PyTorch's squeeze(dim)). */
    public Tensor squeeze(int axis) {
        return apply(new dev.maha.autograd.ops.Squeeze(axis), this);
    }

    /** Nearest-neighbour resampling of {@code axis} to {@code outLength}: {@code out[t] = in[(t·n) div outLength]}. */
    public Tensor upsampleNearest(int axis, long outLength) {
        return apply(new dev.maha.autograd.ops.UpsampleNearest(axis, outLength), this);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of every element: a rank-0 tensor. */
    public Tensor sum() {
        return apply(Sum.all(), this);
    }

    /** Sum over the given axes. */
    public Tensor sum(boolean keepDims, int... axes) {
        return apply(new Sum(axes, keepDims), this);
    }

    /** Mean of every element: a rank-0 tensor. */
    public Tensor mean() {
        return apply(dev.maha.autograd.ops.Mean.all(), this);
    }

    /** Mean over the given axes (every axis when none is given). */
    public Tensor mean(boolean keepDims, int... axes) {
        return apply(new dev.maha.autograd.ops.Mean(axes, keepDims), this);
    }

    /** Maximum over {@code axis}; the gradient goes to the first arg-max of each line. */
    public Tensor max(int axis, boolean keepDims) {
        return apply(new dev.maha.autograd.ops.Max(axis, keepDims), this);
    }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product over the last two axes, broadcasting leading axes: [..., m, k] · [..., k, n]. */
    public Tensor matmul(Tensor other) {
        return apply(new MatMul(), this, other);
    }

    // ------------------------------------------------------------------ normalization and activations

    /** Softmax along {@code axis} (numerically stable; -infinity entries get 0). */
    public Tensor softmax(int axis) {
        return apply(new dev.maha.autograd.ops.Softmax(axis), this);
    }

    /** Log-softmax along {@code axis}: {@code x − logsumexp(x)}, numerically stable. */
    public Tensor logSoftmax(int axis) {
        return apply(new dev.maha.autograd.ops.LogSoftmax(axis), this);
    }

    // ------------------------------------------------------------------ masking

    /** This tensor with {@code value} where {@code mask} (BOOL or nonzero, broadcastable to this) holds. */
    public Tensor maskedFill(Tensor mask, double value) {
        return apply(new dev.maha.autograd.ops.MaskedFill(value), this, mask);
    }

    /** Element-wise {@code cond ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return apply(new dev.maha.autograd.ops.Where(), cond, a, b);
    }
}
