package dev.maha.optim;

/**
 * Validation of optimizer hyper-parameters, in one place: every message names the optimizer, the
 * field and the value, e.g. {@code "adam: beta2 = 1.0 must lie in [0, 1)"}.
 */
final class HyperParameters {
    private HyperParameters() {
    }

    /** A finite learning rate ≥ 0. */
    static double learningRate(String optimizer, double lr) {
        return nonNegative(optimizer, "lr", lr);
    }

    /** A finite value ≥ 0. */
    static double nonNegative(String optimizer, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " = " + v + " must be a finite number ≥ 0");
        }
        return v;
    }

    /** A finite value > 0. */
    static double positive(String optimizer, String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " = " + v + " must be a finite number > 0");
        }
        return v;
    }

    /** A value in [0, 1) (an exponential decay rate). */
    static double decayRate(String optimizer, String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " = " + v + " must lie in [0, 1)");
        }
        return v;
    }

    /** A value in [0, 1]. */
    static double fraction(String optimizer, String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(optimizer + ": " + field + " = " + v + " must lie in [0, 1]");
        }
        return v;
    }
}
