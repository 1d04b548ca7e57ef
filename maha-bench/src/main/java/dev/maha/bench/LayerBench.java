package dev.maha.bench;

import dev.maha.autograd.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward + backward of one attention layer on [1, n, 256] float32 with 4 heads, causal: the dense
 * baseline against MAHA's efficient configuration (spec §2: depthwise decomposition, windows 128 at
 * scales 0..2, full attention at scale 3, L = 4, r = 2). Each invocation runs in a memory scope and
 * frees everything it made.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class LayerBench {
    static final int WIDTH = 256;
    static final int HEADS = 4;

    @Param({"4096", "16384"})
    public int n;

    @Param({"baseline", "maha-efficient-nash", "maha-efficient-convex", "maha-efficient-mean"})
    public String layer;

    private AttentionLayers.Layer layerUnderTest;
    private Tensor x;
    private INDArray cotangent;

    @Setup(Level.Trial)
    public void setUp() {
        layerUnderTest = AttentionLayers.byName(layer, WIDTH, HEADS);
        x = Tensor.randn(1, DataType.FLOAT, 1, n, WIDTH).requiresGrad(true);
        cotangent = Tensor.randn(2, DataType.FLOAT, 1, n, WIDTH).value();
    }

    @Benchmark
    public double forwardBackward() {
        try (dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            Tensor y = layerUnderTest.forward().apply(x);
            y.backward(cotangent);
            double v = x.grad().getDouble(0);
            x.zeroGrad();
            layerUnderTest.module().zeroGrad();
            return v;
        }
    }
}
