package dev.maha.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConstantTest {
    @Test
    void everyStepHasTheSameRate() {
        Constant c = new Constant(0.01);
        assertEquals(0.01, c.at(0), 0.0);
        assertEquals(0.01, c.at(Long.MAX_VALUE), 0.0);
    }

    @Test
    void aBadRateIsNamed() {
        assertEquals("constant schedule: lr = NaN must be a finite number ≥ 0",
                assertThrows(IllegalArgumentException.class, () -> new Constant(Double.NaN)).getMessage());
    }
}
