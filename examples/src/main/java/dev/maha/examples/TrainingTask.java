package dev.maha.examples;

import dev.maha.autograd.Tensor;
import dev.maha.core.model.TransformerModel;

/** What a training run optimises and how it is validated; the {@link Trainer} does the rest. */
interface TrainingTask {
    /** Tokens the model reads per step (for tokens/s). */
    long tokensPerStep();

    /**
     * The training loss of step {@code step} (0-based), rank 0, built in the caller's scope. The batch
     * must depend only on the step (and the task's seed), so a resumed run sees the same batches.
     */
    Tensor loss(TransformerModel model, long step);

    /**
     * Validates the model after {@code step} steps, in evaluation mode and without gradients, leaving
     * the model's mode as it was.
     */
    History.Validation validate(TransformerModel model, long step);
}
