package dev.maha.bench.report;

import java.util.Arrays;

/**
 * Median and spread of repeated timings in milliseconds.
 *
 * @param median the median (mean of the two middle values for an even count)
 * @param min    the fastest run
 * @param max    the slowest run
 * @param runs   how many runs were timed
 */
public record Stats(double median, double min, double max, int runs) {
    /** The statistics of {@code samples} (at least one). */
    public static Stats of(double[] samples) {
        if (samples == null || samples.length == 0) throw new IllegalArgumentException("Stats.of: no samples");
        double[] s = samples.clone();
        Arrays.sort(s);
        int k = s.length;
        double median = k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
        return new Stats(median, s[0], s[k - 1], k);
    }
}
