package dev.maha.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reverse pass: visits the recorded ops from the root in reverse topological order, calls each
 * op's backward with the gradient of its output, and accumulates the input gradients.
 *
 * <p>Memory: every gradient array the pass creates is owned by the pass and freed as soon as the
 * op that consumes it has run; a leaf receives its gradient without a copy when possible. Unless
 * the graph is retained, each op's saved buffers are freed right after its backward.
 */
final class Backward {
    private Backward() {
    }

    static void run(Tensor root, INDArray cotangent, boolean retainGraph) {
        INDArray rootValue = root.value("backward");
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: " + root + " does not require grad: no input of the ops "
                    + "that produced it requires a gradient, or it was computed under NoGrad");
        }
        INDArray seed;
        boolean seedOwned;
        if (cotangent == null) {
            if (rootValue.length() != 1) {
                throw new IllegalArgumentException("backward: " + root + " is not a scalar (shape "
                        + Shapes.str(rootValue.shape()) + "); pass a cotangent of that shape");
            }
            seed = Nd4j.onesLike(rootValue);
            seedOwned = true;
        } else {
            if (!Arrays.equals(cotangent.shape(), rootValue.shape())) {
                throw new IllegalArgumentException("backward: cotangent shape " + Shapes.str(cotangent.shape())
                        + " does not match output shape " + Shapes.str(rootValue.shape()) + " of " + root);
            }
            if (cotangent.dataType() != rootValue.dataType()) {
                throw new IllegalArgumentException("backward: cotangent data type " + cotangent.dataType()
                        + " does not match output data type " + rootValue.dataType());
            }
            seed = cotangent;
            seedOwned = false;
        }
        if (root.isLeaf()) {
            root.accumulateGrad(seed, seedOwned);
            return;
        }

        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, INDArray> grads = new IdentityHashMap<>();
        Set<INDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(root, seed);
        if (seedOwned) owned.add(seed);

        boolean previousPhase = FlopCounter.enterBackward();
        boolean timed = OpProfiler.active();
        try {
            for (Tensor t : order) {
                Node node = t.node();
                INDArray g = grads.remove(t);
                if (g == null) continue;
                if (node.ctx.isReleased()) {
                    throw new IllegalStateException("backward: the buffers saved by op '" + node.op.name()
                            + "' (output " + Shapes.str(g.shape()) + ") were already freed: backward already ran "
                            + "through this graph, or its scope closed. To run backward twice, pass retainGraph = true: backward(cotangent, true)");
                }
                long start = timed ? System.nanoTime() : 0;
                INDArray[] inputGrads = node.op.backward(node.ctx, g);
                if (timed) OpProfiler.record(node.op.name(), true, System.nanoTime() - start);
                checkGrads(node, inputGrads);
                // Take ownership: a gradient that shares a buffer with a saved array or an earlier gradient
                // of the same call is copied, so that each one can be freed on its own. A view of g (the
                // backward of reshape, permute, transpose, ...) takes over g's buffer instead of copying it,
                // when g is the engine's to give and the view goes to a non-leaf input: it is then freed
                // through the view (Memory.release frees a view's root buffer).
                boolean gLent = false;
                for (int i = 0; i < inputGrads.length; i++) {
                    INDArray ig = inputGrads[i];
                    if (ig == null || !node.ctx.needsGrad(i)) {
                        inputGrads[i] = null;
                        continue;
                    }
                    boolean borrowed = node.ctx.aliasesSaved(ig);
                    for (int j = 0; j < i && !borrowed; j++) borrowed = Memory.sharesBuffer(ig, inputGrads[j]);
                    if (!borrowed && Memory.sharesBuffer(ig, g)) {
                        borrowed = gLent || node.inputs[i].isLeaf() || !owned.contains(g);
                        gLent |= !borrowed;
                    }
                    if (borrowed) inputGrads[i] = ig.dup();
                }
                if (gLent) owned.remove(g);         // g's buffer now belongs to the view: freed through it once consumed
                for (int i = 0; i < node.inputs.length; i++) {
                    INDArray ig = inputGrads[i];
                    Tensor in = node.inputs[i];
                    if (ig == null) continue;
                    if (in.isLeaf()) {
                        in.accumulateGrad(ig, true);
                    } else {
                        INDArray existing = grads.get(in);
                        if (existing == null) {
                            grads.put(in, ig);
                            owned.add(ig);
                        } else if (owned.contains(existing)) {
                            existing.addi(ig);
                            Memory.release(ig);
                        } else {
                            INDArray sum = existing.add(ig);
                            Memory.release(ig);
                            grads.put(in, sum);
                            owned.add(sum);
                        }
                    }
                }
                if (!gLent && owned.remove(g)) Memory.release(g);
                if (!retainGraph) node.release();
            }
        } finally {
            FlopCounter.exitBackward(previousPhase);
            for (INDArray leftover : owned) Memory.release(leftover);
        }
    }

    private static void checkGrads(Node node, INDArray[] grads) {
        if (grads == null || grads.length != node.inputs.length) {
            throw new IllegalStateException("backward of op '" + node.op.name() + "' returned "
                    + (grads == null ? "null" : grads.length + " gradients") + " for " + node.inputs.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || !node.ctx.needsGrad(i)) continue;
            long[] expected = node.ctx.inputShape(i);
            if (!Arrays.equals(grads[i].shape(), expected)) {
                throw new IllegalStateException("backward of op '" + node.op.name() + "' returned a gradient of shape "
                        + Shapes.str(grads[i].shape()) + " for input " + i + " of shape " + Shapes.str(expected));
            }
        }
    }

    /** Non-leaf tensors reachable from the root, each after every tensor that consumes it. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.node().inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in.node() != null && in.requiresGrad() && visited.add(in)) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                postOrder.add(t);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
