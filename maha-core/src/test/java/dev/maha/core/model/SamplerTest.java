package dev.maha.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void greedyPicksTheArgMax() {
        assertEquals(2, Sampler.greedy().next(new double[] {0.1, -3, 5, 4.9}));
    }

    @Test
    void topOneIsGreedyAtAnyTemperature() {
        Sampler s = new Sampler(5.0, 1, 7);
        for (int i = 0; i < 20; i++) assertEquals(3, s.next(new double[] {1, 2, 0, 9}));
    }

    @Test
    void topKNeverPicksOutsideTheTopK() {
        Sampler s = new Sampler(10.0, 2, 3);
        for (int i = 0; i < 200; i++) {
            int t = s.next(new double[] {5, 0, 4.5, -1, 0.2});
            assertTrue(t == 0 || t == 2, "picked " + t);
        }
    }

    @Test
    void samplingFollowsTheSoftmaxDistribution() {
        Sampler s = new Sampler(1.0, 0, 11);
        int[] counts = new int[2];
        int n = 20000;
        for (int i = 0; i < n; i++) counts[s.next(new double[] {0, Math.log(3)})]++;
        assertEquals(0.75, counts[1] / (double) n, 0.02);
    }

    @Test
    void sameSeedSameSequence() {
        Sampler a = new Sampler(1.0, 0, 42);
        Sampler b = new Sampler(1.0, 0, 42);
        for (int i = 0; i < 50; i++) assertEquals(a.next(new double[] {0, 1, 2, 1}), b.next(new double[] {0, 1, 2, 1}));
    }

    @Test
    void badSettingsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampler(-1, 0, 0)).getMessage().contains("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampler(1, -2, 0)).getMessage().contains("topK"));
    }
}
