package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Converts to another data type; the gradient is converted back. */
public final class Cast implements Op {
    private final DataType target;

    /** @param target the output data type */
    public Cast(DataType target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "cast";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        ctx.put("from", in[0].dataType());
        return in[0].dataType() == target ? in[0].dup() : in[0].castTo(target);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        DataType from = ctx.get("from");
        return new INDArray[] {g.castTo(from)};
    }
}
