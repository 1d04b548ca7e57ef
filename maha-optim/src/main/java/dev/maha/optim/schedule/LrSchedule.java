package dev.maha.optim.schedule;

/**
 * A learning rate as a function of the optimizer step (0 for the first step). A schedule is a pure
 * function: it drives an optimizer from the outside, so that resuming a run needs only the step
 * count the optimizer's state dict already holds.
 *
 * <pre>{@code
 * LrSchedule schedule = new WarmupCosine(3e-4, 1_000, 100_000, 3e-5);
 * optimizer.setLearningRate(schedule.at(optimizer.steps()));
 * optimizer.step();
 * }</pre>
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate of step {@code step} ≥ 0. */
    double at(long step);
}
