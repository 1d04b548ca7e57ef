package dev.maha.bench;

import dev.maha.autograd.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Standard (dense, one head) attention forward + backward composed from engine ops:
 * {@code softmax(q kᵀ / √d) v} with q, k, v [n, 64] float32 requiring gradients. Each invocation runs
 * in a memory scope, so nothing is left to the garbage collector.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class AttentionBench {
    @Param({"512", "1024", "4096"})
    public int n;

    private static final int D = 64;
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private INDArray cot;

    @Setup(Level.Trial)
    public void setUp() {
        q = Tensor.randn(1, DataType.FLOAT, n, D).requiresGrad(true);
        k = Tensor.randn(2, DataType.FLOAT, n, D).requiresGrad(true);
        v = Tensor.randn(3, DataType.FLOAT, n, D).requiresGrad(true);
        cot = Nd4j.rand(DataType.FLOAT, n, D);
    }

    /** The layer under test: dense attention from engine ops. */
    static Tensor attention(Tensor q, Tensor k, Tensor v) {
        Tensor scores = q.matmul(k.transpose(0, 1)).mul(1.0 / Math.sqrt(q.size(-1)));
        return scores.softmax(-1).matmul(v);
    }

    @Benchmark
    public double forward() {
        try (dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            return attention(q, k, v).value().getDouble(0);
        }
    }

    @Benchmark
    public double forwardBackward() {
        try (dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            Tensor out = attention(q, k, v);
            out.backward(cot);
            double g = q.grad().getDouble(0);
            q.zeroGrad();
            k.zeroGrad();
            v.zeroGrad();
            return g;
        }
    }
}
