package dev.maha.autograd;

/** One recorded op application: the op, its context and its inputs. The output tensor points here. */
final class Node {
    final Op op;
    final Context ctx;
    final Tensor[] inputs;

    Node(Op op, Context ctx, Tensor[] inputs) {
        this.op = op;
        this.ctx = ctx;
        this.inputs = inputs;
    }

    /** Drops the saved buffers and the links to the inputs, so the graph behind can be collected. */
    void release() {
        ctx.release();
    }
}
