package dev.maha.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;

/**
 * Peak resident memory of the process while an action runs, above the level before it: resident memory
 * ({@code Pointer.physicalBytes()}, which reads {@code /proc/self/statm}) is sampled every millisecond.
 * ND4J's native buffers are not counted by JavaCPP's own byte counters, so resident memory is the measure
 * that sees them. Run one measurement per JVM, after a warm-up step, for honest peaks.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Bytes of resident memory at the peak of {@code action}, above the level after a GC before it. */
    public static long during(Runnable action) throws InterruptedException {
        System.gc();
        Thread.sleep(100);
        long before = Pointer.physicalBytes();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(Pointer.physicalBytes(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try {
            action.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        peak.accumulateAndGet(Pointer.physicalBytes(), Math::max);
        return Math.max(0, peak.get() - before);
    }
}
