package dev.maha.autograd.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Element-wise selection {@code cond ? a : b}, all three broadcast together (NumPy rules):
 * {@code [..c], [..a], [..b] → broadcast([..c], [..a], [..b])}. The condition is BOOL, or numeric with
 * nonzero meaning true; it never receives a gradient. {@code a} receives {@code g} where the condition
 * holds and {@code b} where it does not, each summed back to its input's shape. The selection is
 * exact: an inf or NaN in the unselected operand does not leak into the output or the gradients.
 */
public final class Where implements Op {
    @Override
    public String name() {
        return "where";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray cond = in[0];
        INDArray a = in[1];
        INDArray b = in[2];
        long[] shape;
        try {
            shape = Shapes.broadcast(name(), Shapes.broadcast(name(), cond.shape(), a.shape()), b.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where: cond " + Shapes.str(cond.shape()) + ", a " + Shapes.str(a.shape())
                    + " and b " + Shapes.str(b.shape()) + " cannot be broadcast together");
        }
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("where: a and b must have one data type, got " + a.dataType() + " "
                    + Shapes.str(a.shape()) + " and " + b.dataType() + " " + Shapes.str(b.shape()));
        }
        ctx.flops(Shapes.length(shape));
        INDArray c = expandedMask(cond, shape);
        INDArray ae = Shapes.expand(a, shape);
        INDArray be = Shapes.expand(b, shape);
        INDArray out = select(c, ae, be);
        if (!Memory.sharesBuffer(ae, a)) Memory.release(ae);
        if (!Memory.sharesBuffer(be, b)) Memory.release(be);
        if (ctx.needsGrad(1) || ctx.needsGrad(2)) ctx.save(c);
        else if (!Memory.sharesBuffer(c, cond)) Memory.release(c);
        return out;
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        INDArray c = ctx.saved(0);
        INDArray zeros = Nd4j.zeros(g.dataType(), g.shape());
        INDArray da = null;
        INDArray db = null;
        if (ctx.needsGrad(1)) {
            ctx.flops(g.length());
            da = reduceFresh(select(c, g, zeros), ctx.inputShape(1));
        }
        if (ctx.needsGrad(2)) {
            ctx.flops(g.length());
            db = reduceFresh(select(c, zeros, g), ctx.inputShape(2));
        }
        Memory.release(zeros);
        return new INDArray[] {null, da, db};
    }

    /**
     * The condition as a BOOL array of exactly {@code shape} (nonzero → true). Returns {@code mask}
     * itself when it is already BOOL of that shape, otherwise a fresh array.
     */
    static INDArray expandedMask(INDArray mask, long[] shape) {
        INDArray bool = mask.dataType() == DataType.BOOL ? mask : mask.neq(0);
        INDArray expanded = Shapes.expand(bool, shape);
        if (bool != mask && !Memory.sharesBuffer(expanded, bool)) Memory.release(bool);
        return expanded;
    }

    /**
     * {@code cond ? x : y} for a BOOL {@code cond} and {@code x}, {@code y} all of one shape: a fresh
     * row-major array. Float and double run as a Java loop over the native buffers: ND4J's
     * {@code select} kernel is scalar code, ~20x slower (25 ms vs 1.3 ms for 512², measured).
     */
    static INDArray select(INDArray cond, INDArray x, INDArray y) {
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            INDArray out = Nd4j.create(t, x.shape());
            Nd4j.exec(DynamicCustomOp.builder("select").addInputs(cond, x, y).addOutputs(out).build());
            return out;
        }
        INDArray c = Memory.rowMajor(cond);
        INDArray xc = Memory.rowMajor(x);
        INDArray yc = Memory.rowMajor(y);
        INDArray out = Nd4j.createUninitialized(t, x.shape(), 'c');
        int n = (int) out.length();
        ByteBuffer cb = c.data().asNio();
        if (t == DataType.FLOAT) {
            FloatBuffer xb = floats(xc);
            FloatBuffer yb = floats(yc);
            FloatBuffer ob = floats(out);
            for (int i = 0; i < n; i++) ob.put(i, cb.get(i) != 0 ? xb.get(i) : yb.get(i));
        } else {
            DoubleBuffer xb = doubles(xc);
            DoubleBuffer yb = doubles(yc);
            DoubleBuffer ob = doubles(out);
            for (int i = 0; i < n; i++) ob.put(i, cb.get(i) != 0 ? xb.get(i) : yb.get(i));
        }
        if (c != cond) Memory.release(c);
        if (xc != x) Memory.release(xc);
        if (yc != y) Memory.release(yc);
        return out;
    }

    private static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static DoubleBuffer doubles(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    /** Sums a fresh broadcast-shaped array down to {@code shape}, freeing it when the sum is a new array. */
    private static INDArray reduceFresh(INDArray full, long[] shape) {
        INDArray r = Broadcasting.reduceTo(full, shape);
        if (!Memory.sharesBuffer(r, full)) Memory.release(full);
        return r;
    }
}
