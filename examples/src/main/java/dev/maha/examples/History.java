package dev.maha.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's losses: the training loss of every step (index = step) and the validation loss at the
 * evaluation steps. Stored in the checkpoint, so a resumed run's plot and summary cover the whole run.
 */
public final class History {
    /** One validation: after {@code step} steps, the loss (nats) and, where the task has one, an accuracy (else NaN). */
    public record Validation(long step, double loss, double accuracy) {
    }

    private final List<Double> train = new ArrayList<>();
    private final List<Validation> validation = new ArrayList<>();

    /** Appends the training loss of the next step. */
    public void addTrain(double loss) {
        train.add(loss);
    }

    /** Appends a validation. */
    public void addValidation(Validation v) {
        validation.add(v);
    }

    /** Training losses, one per step done. */
    public List<Double> train() {
        return train;
    }

    /** Validations, in step order. */
    public List<Validation> validation() {
        return validation;
    }

    /** The last validation, or null. */
    public Validation lastValidation() {
        return validation.isEmpty() ? null : validation.get(validation.size() - 1);
    }

    /** Mean training loss over the last {@code k} steps (fewer if fewer were done). */
    public double recentTrainLoss(int k) {
        int from = Math.max(0, train.size() - k);
        double s = 0;
        for (int i = from; i < train.size(); i++) s += train.get(i);
        return s / Math.max(1, train.size() - from);
    }

    /** The training losses as text ({@link Double#toString}, exact), comma-separated. */
    public String serializeTrain() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < train.size(); i++) sb.append(i == 0 ? "" : ",").append(train.get(i));
        return sb.toString();
    }

    /** The validations as text: {@code step:loss:accuracy} entries, comma-separated. */
    public String serializeValidation() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < validation.size(); i++) {
            Validation v = validation.get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%d:%s:%s", v.step(), v.loss(), v.accuracy()));
        }
        return sb.toString();
    }

    /** Reads the forms of {@link #serializeTrain()} and {@link #serializeValidation()}. */
    public static History parse(String train, String validation) {
        History h = new History();
        if (!train.isEmpty()) for (String s : train.split(",")) h.addTrain(Double.parseDouble(s));
        if (!validation.isEmpty()) {
            for (String s : validation.split(",")) {
                String[] p = s.split(":");
                h.addValidation(new Validation(Long.parseLong(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])));
            }
        }
        return h;
    }
}
