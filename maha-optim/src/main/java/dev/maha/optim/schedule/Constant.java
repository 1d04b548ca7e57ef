package dev.maha.optim.schedule;

/** The same learning rate at every step. */
public record Constant(double lr) implements LrSchedule {
    /** @param lr finite, ≥ 0 */
    public Constant {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("constant schedule: lr = " + lr + " must be a finite number ≥ 0");
        }
    }

    @Override
    public double at(long step) {
        if (step < 0) throw new IllegalArgumentException("constant schedule: step = " + step + " must be ≥ 0");
        return lr;
    }
}
