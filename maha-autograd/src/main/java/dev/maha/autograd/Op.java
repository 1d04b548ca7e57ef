package dev.maha.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable operation: its forward and its backward, side by side, in one class.
 *
 * <p>This is the one extension point of the engine. Every op of the library implements it, and a
 * user-defined op implements exactly the same interface (the library has no private fast lane):
 *
 * <pre>{@code
 * final class Square implements Op {
 *     public String name() { return "square"; }
 *     public INDArray forward(Context ctx, INDArray... in) {
 *         ctx.save(in[0]);
 *         ctx.flops(in[0].length());
 *         return in[0].mul(in[0]);
 *     }
 *     public INDArray[] backward(Context ctx, INDArray g) {
 *         ctx.flops(2 * g.length());
 *         return new INDArray[] { g.mul(ctx.saved(0)).muli(2) };
 *     }
 * }
 * Tensor y = Tensor.apply(new Square(), x);
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>{@code forward} must not modify its inputs. It may return a new array or a view of an
 *       input (reshape, permute); the engine notices views and never frees an input through them.</li>
 *   <li>{@code forward} saves, through {@link Context#save}, what {@code backward} needs. Saved arrays
 *       that the op allocated itself are freed by the engine when the graph is released.</li>
 *   <li>{@code backward} receives the gradient of the output (same shape as the output, never to be
 *       modified) and returns one gradient per input, each of that input's exact shape, or
 *       {@code null} for an input that needs none (see {@link Context#needsGrad(int)}).</li>
 *   <li>Both report their FLOPs through {@link Context#flops(long)} (a multiply-add counts 2).</li>
 * </ul>
 * An op instance holds its configuration (axes, strides, ...) and may be applied any number of
 * times; per-call state lives in the {@link Context}.
 */
public interface Op {

    /** Short name used in error messages and FLOP reports, for example {@code "matmul"}. */
    String name();

    /**
     * Computes the output from the input values.
     *
     * @param ctx    per-call context: save arrays for backward, report FLOPs
     * @param inputs the input values, in call order
     * @return the output value
     */
    INDArray forward(Context ctx, INDArray... inputs);

    /**
     * Computes the vector-Jacobian product.
     *
     * @param ctx  the context filled by {@link #forward}
     * @param grad gradient of the loss with respect to the output, the output's shape
     * @return gradients with respect to each input (same shapes as the inputs), null where not needed
     */
    INDArray[] backward(Context ctx, INDArray grad);
}
