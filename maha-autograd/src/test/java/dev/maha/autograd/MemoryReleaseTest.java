package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Buffer release and aliasing detection, including views that ND4J does not report as views. */
class MemoryReleaseTest {
    @Test
    void releasingAViewThenItsBaseIsSafe() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 4, 4);
        INDArray view = base.reshape(16);
        Memory.release(view);
        Memory.release(base);
        Memory.release(base);
        assertTrue(base.data().wasClosed() || base.wasClosed());
    }

    @Test
    void permutedAndSlicedArraysShareTheirBasesBuffer() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        assertTrue(Memory.sharesBuffer(base, base.permute(2, 0, 1)));
        assertTrue(Memory.sharesBuffer(base, base.reshape(6, 4)));
        assertTrue(Memory.sharesBuffer(base.permute(1, 0, 2), base.reshape(24)));
        assertFalse(Memory.sharesBuffer(base, base.dup()));
        assertFalse(Memory.sharesBuffer(base, null));
    }

    @Test
    void releasingACopyLeavesTheOriginalIntact() {
        INDArray base = Nd4j.createFromArray(1f, 2f, 3f);
        Memory.release(base.dup());
        assertEquals(6.0, base.sumNumber().doubleValue(), 0.0);
    }
}
