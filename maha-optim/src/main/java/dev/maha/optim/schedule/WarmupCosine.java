package dev.maha.optim.schedule;

/**
 * Linear warm-up from 0 to {@code peakLr}, then cosine decay to {@code minLr}, then {@code minLr}:
 * <pre>
 *   at(s) = peakLr · s / W                                          0 ≤ s &lt; W
 *   at(s) = minLr + (peakLr − minLr) · (1 + cos(π · (s − W)/(T − W))) / 2     W ≤ s &lt; T
 *   at(s) = minLr                                                   s ≥ T
 * </pre>
 * with W = {@code warmupSteps} and T = {@code totalSteps}. The warm-up is the linear ramp of
 * Hugging Face's {@code get_cosine_schedule_with_warmup} (step 0 has rate 0, step W the peak); the
 * decay is the closed form of PyTorch's {@code CosineAnnealingLR} with η_max = peakLr,
 * η_min = minLr, T_max = T − W. The rate is continuous: at s = W it is peakLr, at s = T it is minLr.
 *
 * @param peakLr      the rate at the end of warm-up, finite, ≥ 0
 * @param warmupSteps W ≥ 0 (0: start at the peak)
 * @param totalSteps  T &gt; W, the step where the decay reaches minLr
 * @param minLr       the final rate, 0 ≤ minLr ≤ peakLr
 */
public record WarmupCosine(double peakLr, long warmupSteps, long totalSteps, double minLr) implements LrSchedule {
    /** Validates the four fields. */
    public WarmupCosine {
        if (!(peakLr >= 0) || Double.isInfinite(peakLr)) {
            throw new IllegalArgumentException("warmup_cosine: peakLr = " + peakLr + " must be a finite number ≥ 0");
        }
        if (!(minLr >= 0 && minLr <= peakLr)) {
            throw new IllegalArgumentException("warmup_cosine: minLr = " + minLr + " must lie in [0, peakLr = " + peakLr + "]");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_cosine: warmupSteps = " + warmupSteps + " must be ≥ 0");
        }
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("warmup_cosine: totalSteps = " + totalSteps + " must exceed warmupSteps = "
                    + warmupSteps);
        }
    }

    @Override
    public double at(long step) {
        if (step < 0) throw new IllegalArgumentException("warmup_cosine: step = " + step + " must be ≥ 0");
        if (step < warmupSteps) return peakLr * step / warmupSteps;
        if (step >= totalSteps) return minLr;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        double rate = minLr + (peakLr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
        return Math.min(peakLr, Math.max(minLr, rate));   // rounding may overshoot the bounds by an ulp
    }
}
