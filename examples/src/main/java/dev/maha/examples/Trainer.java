package dev.maha.examples;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.core.model.TransformerModel;
import dev.maha.optim.GradClip;
import dev.maha.optim.Optimizer;
import dev.maha.optim.schedule.LrSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The training loop shared by the commands: per step, the learning rate from the schedule, the loss
 * and its gradients inside a {@link Scope}, global-norm clipping, an optimizer step (skipped when the
 * gradient norm is not finite), the loss appended to the history; periodic validation and
 * checkpoints; a progress bar or log lines.
 *
 * <p>Everything a step depends on is a function of the step number or is restored from the
 * checkpoint (parameters, optimizer state, dropout streams), so a resumed run repeats the
 * uninterrupted run's losses bit for bit.
 */
final class Trainer {
    /** Writes a checkpoint after {@code step} steps. */
    interface CheckpointWriter {
        void write(long step, History history, double seconds) throws IOException;
    }

    /**
     * Which steps this session runs and when it validates and saves.
     *
     * @param start           steps already done (0, or the checkpoint's step when resuming)
     * @param stop            stop after this many steps (≤ total; a later run resumes)
     * @param total           the run's planned steps (the schedule's length)
     * @param evalEvery       validate every this many steps (and after the last step of the session)
     * @param checkpointEvery save every this many steps (and after the last step of the session)
     */
    record Plan(long start, long stop, long total, int evalEvery, int checkpointEvery) {
    }

    /**
     * A finished session.
     *
     * @param label           the model's name in tables and plots
     * @param history         the whole run's losses (earlier sessions included)
     * @param seconds         wall time of the whole run, validation and checkpoints included
     * @param tokensPerSecond training throughput of this session (steps only)
     * @param parameters      the model's parameter count
     */
    record Result(String label, History history, double seconds, double tokensPerSecond, long parameters) {
    }

    private Trainer() {
    }

    static Result run(String label, TransformerModel model, Optimizer optimizer, LrSchedule schedule, double clip,
                      TrainingTask task, Plan plan, History history, double priorSeconds, CheckpointWriter checkpoints,
                      PrintStream out) throws IOException {
        long sessionStart = System.nanoTime();
        long stepNanos = 0;
        long stepsDone = 0;
        model.train();
        try (Progress progress = new Progress(label, plan.start(), plan.stop(), out)) {
            for (long step = plan.start(); step < plan.stop(); step++) {
                long t0 = System.nanoTime();
                double loss;
                try (Scope scope = Scope.open()) {
                    optimizer.setLearningRate(schedule.at(step));
                    Tensor l = task.loss(model, step);
                    l.backward();
                    double norm = clip > 0 ? GradClip.clipGlobalNorm(optimizer.parameters().values(), clip) : 0;
                    if (Double.isFinite(norm) && Double.isFinite(l.item())) optimizer.step();
                    optimizer.zeroGrad();
                    loss = l.item();
                }
                stepNanos += System.nanoTime() - t0;
                stepsDone++;
                history.addTrain(loss);
                long done = step + 1;
                progress.step(done, loss, task.tokensPerStep() * stepsDone / (stepNanos / 1e9));
                boolean last = done == plan.stop();
                if (done % plan.evalEvery() == 0 || last) {
                    History.Validation v = task.validate(model, done);
                    history.addValidation(v);
                    progress.note(String.format(Locale.ROOT, "%s step %d: validation loss %.4f, %s", label, done, v.loss(),
                            Double.isNaN(v.accuracy()) ? String.format(Locale.ROOT, "%.3f bits/char", v.loss() / Math.log(2))
                                    : String.format(Locale.ROOT, "accuracy %.1f%%", 100 * v.accuracy())));
                }
                if (done % plan.checkpointEvery() == 0 || last) {
                    checkpoints.write(done, history, priorSeconds + (System.nanoTime() - sessionStart) / 1e9);
                }
            }
        }
        double seconds = priorSeconds + (System.nanoTime() - sessionStart) / 1e9;
        double tps = stepsDone == 0 ? Double.NaN : task.tokensPerStep() * stepsDone / (stepNanos / 1e9);
        return new Result(label, history, seconds, tps, model.parameterCount());
    }
}
