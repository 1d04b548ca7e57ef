package dev.maha.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Linear warm-up from 0 to the peak, cosine decay to the minimum, then the minimum. */
class WarmupCosineTest {
    private final WarmupCosine schedule = new WarmupCosine(1e-3, 100, 1100, 1e-4);

    @Test
    void warmUpRisesLinearlyFromZeroToThePeak() {
        assertEquals(0.0, schedule.at(0), 0.0);
        assertEquals(1e-5, schedule.at(1), 1e-20);
        assertEquals(5e-4, schedule.at(50), 0.0);
        assertEquals(9.9e-4, schedule.at(99), 1e-19);
        assertEquals(1e-3, schedule.at(100), 0.0);
    }

    @Test
    void cosineDecaysToTheMinimumThroughTheMidpoint() {
        // midpoint s = 100 + 1000/2: cos(π/2) = 0, so the rate is (peak + min)/2 = 5.5e-4
        assertEquals(5.5e-4, schedule.at(600), 1e-18);
        // a quarter of the way: min + (peak − min)·(1 + cos(π/4))/2
        assertEquals(1e-4 + 9e-4 * (1 + Math.sqrt(0.5)) / 2, schedule.at(350), 1e-18);
        assertEquals(1e-4, schedule.at(1100), 0.0);
    }

    @Test
    void stepsBeyondTheTotalStayAtTheMinimum() {
        assertEquals(1e-4, schedule.at(1101), 0.0);
        assertEquals(1e-4, schedule.at(1_000_000), 0.0);
        assertEquals(1e-4, schedule.at(Long.MAX_VALUE), 0.0);
    }

    @Test
    void noWarmUpStartsAtThePeak() {
        WarmupCosine s = new WarmupCosine(0.1, 0, 10, 0);
        assertEquals(0.1, s.at(0), 0.0);
        assertEquals(0.05, s.at(5), 1e-17);
        assertEquals(0.0, s.at(10), 0.0);
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("warmup_cosine: peakLr = -1.0 must be a finite number ≥ 0", () -> new WarmupCosine(-1, 0, 10, 0));
        assertMessage("warmup_cosine: minLr = 0.2 must lie in [0, peakLr = 0.1]", () -> new WarmupCosine(0.1, 0, 10, 0.2));
        assertMessage("warmup_cosine: warmupSteps = -5 must be ≥ 0", () -> new WarmupCosine(0.1, -5, 10, 0));
        assertMessage("warmup_cosine: totalSteps = 10 must exceed warmupSteps = 10", () -> new WarmupCosine(0.1, 10, 10, 0));
        assertMessage("warmup_cosine: step = -1 must be ≥ 0", () -> schedule.at(-1));
    }

    @Property(tries = 200)
    void risesThenFallsWithinItsBounds(@ForAll @DoubleRange(min = 0, max = 1) @Scale(6) double peak,
                                       @ForAll @DoubleRange(min = 0, max = 1) @Scale(6) double minFraction,
                                       @ForAll @LongRange(min = 0, max = 50) long warmup,
                                       @ForAll @LongRange(min = 1, max = 200) long decay,
                                       @ForAll @LongRange(min = 0, max = 300) long step) {
        Assume.that(step + 1 <= warmup + decay + 20);
        double min = peak * minFraction;
        WarmupCosine s = new WarmupCosine(peak, warmup, warmup + decay, min);
        double now = s.at(step);
        double next = s.at(step + 1);
        assertTrue(now >= 0 && now <= peak, "rate " + now + " outside [0, " + peak + "]");
        if (step >= warmup) assertTrue(now >= min, "rate " + now + " below the minimum " + min + " after warm-up");
        if (step < warmup) {
            assertTrue(next >= now, "warm-up must not decrease: " + now + " then " + next);
        } else {
            assertTrue(next <= now, "decay must not increase: " + now + " then " + next);
        }
    }

    private static void assertMessage(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }
}
