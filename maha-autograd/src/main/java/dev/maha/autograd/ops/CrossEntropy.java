package dev.maha.autograd.ops;

import dev.maha.autograd.Context;
import dev.maha.autograd.Memory;
import dev.maha.autograd.Op;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax cross-entropy with integer class targets, fused and numerically stable: logits [..., C]
 * and targets [...] (int32 or int64, the logits' shape without its last axis; [N, C] with [N] is
 * the usual case) → a rank-0 loss,
 * <pre>
 * loss = (1/count) Σ_{rows r not ignored} (logsumexp(z_r) − z_r[t_r]),   logsumexp(z) = m + log Σ exp(z − max z)
 * </pre>
 * where count is the number of rows whose target is not the ignore index (when one is set). Every
 * other target must lie in [0, C). When every row is ignored the loss is 0 and the gradient is 0
 * (PyTorch would return NaN). Backward: {@code dz_r = g · (softmax(z_r) − onehot(t_r)) / count} on
 * rows not ignored, 0 on ignored rows. Forward saves the logits (as [N, C]) and logsumexp [N, 1].
 */
public final class CrossEntropy implements Op {
    private final boolean hasIgnore;
    private final long ignoreIndex;

    /** Every target must be a class index in [0, C). */
    public CrossEntropy() {
        this.hasIgnore = false;
        this.ignoreIndex = 0;
    }

    /** Rows whose target equals {@code ignoreIndex} (PyTorch uses −100) add nothing and are not counted. */
    public CrossEntropy(long ignoreIndex) {
        this.hasIgnore = true;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray logits = in[0];
        INDArray targets = in[1];
        Shapes.requireFloating(name(), "logits", logits);
        Shapes.requireInteger(name(), "targets", targets);
        long[] lead = logits.rank() == 0 ? null : Arrays.copyOf(logits.shape(), logits.rank() - 1);
        if (lead == null || !Arrays.equals(lead, targets.shape())) {
            throw new IllegalArgumentException("cross_entropy: logits [..., C] and targets [...] must agree, got logits "
                    + Shapes.str(logits.shape()) + " and targets " + Shapes.str(targets.shape()));
        }
        long c = logits.size(-1);
        long n = Shapes.length(lead);
        if (n * c == 0) {
            throw new IllegalArgumentException("cross_entropy: logits " + Shapes.str(logits.shape()) + " are empty");
        }

        // Targets come to Java once (n values): range check and the flat positions r·C + t_r.
        INDArray tc = targets.dup('c');
        long[] t = tc.data().asLong();
        Memory.release(tc);
        long[] picked = new long[(int) n];
        long[] rows = new long[(int) n];
        int count = 0;
        for (int r = 0; r < n; r++) {
            if (hasIgnore && t[r] == ignoreIndex) continue;
            if (t[r] < 0 || t[r] >= c) {
                throw new IllegalArgumentException("cross_entropy: target " + t[r] + " (row " + r + ") is out of range [0, "
                        + c + ") for logits " + Shapes.str(logits.shape())
                        + (hasIgnore ? " and is not the ignore index " + ignoreIndex : ""));
            }
            picked[count] = (long) r * c + t[r];
            rows[count] = r;
            count++;
        }

        INDArray z = Memory.rowMajor(logits).reshape('c', n, c);            // [N, C]
        INDArray max = z.max(true, 1);                                           // [N, 1]
        INDArray shifted = z.sub(max);
        Transforms.exp(shifted, false);
        INDArray lse = shifted.sum(true, 1);                                     // Σ exp(z − m), then logsumexp
        Memory.release(shifted);
        Transforms.log(lse, false).addi(max);
        Memory.release(max);
        ctx.flops(4L * n * c + 2L * n);                                          // max, sub, exp, sum; log: 1 per row

        double loss = 0;
        INDArray pickedIdx = null;
        if (count > 0) {
            pickedIdx = Nd4j.createFromArray(Arrays.copyOf(picked, count));
            INDArray rowIdx = Nd4j.createFromArray(Arrays.copyOf(rows, count));
            INDArray zt = Nd4j.exec(new Gather(z.reshape('c', new long[] {n * c}), pickedIdx, 0))[0];   // z_r[t_r]
            INDArray lr = Nd4j.exec(new Gather(lse.reshape('c', new long[] {n}), rowIdx, 0))[0];       // logsumexp(z_r)
            loss = lr.subi(zt).sumNumber().doubleValue() / count;
            Memory.release(zt);
            Memory.release(lr);
            Memory.release(rowIdx);
            ctx.flops(2L * count);
        }
        if (ctx.needsGrad(0) && count > 0) {
            INDArray mask = null;
            if (count < n) {
                double[] keep = new double[(int) n];
                for (int i = 0; i < count; i++) keep[(int) rows[i]] = 1;
                mask = Nd4j.create(keep, new long[] {n, 1}, z.dataType());
            }
            ctx.save(z, lse, pickedIdx, mask);
            ctx.put("count", count);
        } else {
            if (!Memory.sharesBuffer(z, logits)) Memory.release(z);
            Memory.release(lse);
            Memory.release(pickedIdx);
            ctx.put("count", 0);
        }
        return Nd4j.scalar(logits.dataType(), loss);
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray g) {
        long[] shape = ctx.inputShape(0);
        int count = ctx.get("count");
        if (count == 0) return new INDArray[] {Nd4j.zeros(g.dataType(), shape), null};
        INDArray z = ctx.saved(0);
        INDArray lse = ctx.saved(1);
        INDArray pickedIdx = ctx.saved(2);
        INDArray mask = ctx.saved(3);
        INDArray p = z.sub(lse);                                                 // softmax = exp(z − logsumexp)
        Transforms.exp(p, false);
        if (mask != null) p.muli(mask);                                          // ignored rows: 0
        INDArray flat = p.reshape('c', new long[] {p.length()});
        INDArray minusOne = Nd4j.valueArrayOf(new long[] {count}, -1.0, p.dataType());
        // One target per row: the flat positions are distinct, so no locking is needed.
        Scatter.addRows(flat, pickedIdx, minusOne);
        Memory.release(minusOne);
        p.muli(g.getDouble(0) / count);
        ctx.flops(4L * p.length());
        return new INDArray[] {p.reshape('c', shape), null};
    }
}
