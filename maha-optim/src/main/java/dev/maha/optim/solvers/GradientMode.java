package dev.maha.optim.solvers;

/**
 * How a solver's backward pass is computed.
 *
 * <ul>
 *   <li>{@link #UNROLLED}: the solver's iterations are recorded and backpropagated step by step. The
 *       gradient is exact for the approximate solution the iterations reached, and its cost grows
 *       with the number of iterations.</li>
 *   <li>{@link #IMPLICIT}: the gradient comes from the optimality conditions at the solution (the
 *       solver stays a black box). Cost independent of the iterations; exact when the solution is.</li>
 * </ul>
 * For exact (non-iterative) solvers both modes give the same closed-form derivative.
 */
public enum GradientMode {
    /** Backpropagate through the recorded iterations. */
    UNROLLED,
    /** Differentiate the optimality conditions at the solution. */
    IMPLICIT
}
