package dev.maha.bench;

import dev.maha.bench.report.LayerStep;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward (no tape) and forward + backward of one attention layer ({@link AttentionLayers}) on
 * [1, n, d] float32, causal: the dense baseline against MAHA's efficient configuration (spec §2:
 * depthwise decomposition, windows 128 at scales 0..2, full attention at scale 3, L = 4, r = 2) and the
 * reference-like configuration (full convolutions, full attention at every scale). {@code shape} is
 * {@code <d>x<h>}: 256x4 by default, 768x12 for the paper's width. Each invocation runs in a memory scope
 * and frees everything it made.
 *
 * <p>Warm-up: each trial first runs forward + backward for {@value #PRE_WARM_SECONDS} s in its setup (at least one
 * call), then JMH's 25 warm-up calls. MAHA's step runs many Java kernels and engine methods a few times
 * each, so they reach the optimising compiler late: at n = 4096 the JIT was still compiling in bursts of
 * 50-500 ms per call until about the 50th call (measured with {@code CompilationMXBean}), and on 2 cores
 * its compiler threads take CPU from the measured code (warm-up calls 26-32 ran 320-400 ms against a
 * steady 200-290 ms). The dense layer is steady after two calls; for it the pre-warm-up only repeats
 * steady calls (15 at n = 4096, one at n = 16384).
 *
 * <pre>{@code
 * java -jar maha-bench/target/benchmarks.jar LayerBench -p n=4096 -p layer=baseline,maha-efficient-nash
 * java -jar maha-bench/target/benchmarks.jar LayerBench -p shape=768x12 -p n=1024,4096
 * }</pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 25)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class LayerBench {
    static final int WIDTH = 256;
    static final int HEADS = 4;
    /** Seconds of calls each trial runs before JMH's warm-up (see the class comment). */
    static final int PRE_WARM_SECONDS = 15;

    @Param({"256", "512", "1024", "2048", "4096", "8192", "16384"})
    public int n;

    @Param({"256x4"})
    public String shape;

    @Param({"baseline", "maha-efficient-nash", "maha-efficient-convex", "maha-efficient-mean",
            "maha-reference-nash", "maha-reference-convex", "maha-reference-mean"})
    public String layer;

    private LayerStep step;

    @Setup(Level.Trial)
    public void setUp() {
        String[] dh = shape.split("x");
        if (dh.length != 2) throw new IllegalArgumentException("shape must be <d>x<h>, like 256x4, got '" + shape + "'");
        step = new LayerStep(layer, 1, n, Integer.parseInt(dh[0]), Integer.parseInt(dh[1]));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PRE_WARM_SECONDS);
        do {
            step.forwardBackward();
        } while (System.nanoTime() < end);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }

    @Benchmark
    public void forward() {
        step.forward();
    }

    @Benchmark
    public void forwardBackward() {
        step.forwardBackward();
    }
}
