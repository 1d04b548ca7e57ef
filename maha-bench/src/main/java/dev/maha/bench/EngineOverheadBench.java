package dev.maha.bench;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
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

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-op overhead of the engine over raw ND4J, on a 16×16 add (float32) where the arithmetic is
 * negligible: raw {@code INDArray.add} (allocating, then closed), the engine without recording
 * (NoGrad), and the engine recording the op for backward. Every variant frees its output.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EngineOverheadBench {
    private INDArray a;
    private INDArray b;
    private Tensor ta;
    private Tensor tb;
    private Tensor pa;

    @Setup(Level.Trial)
    public void setUp() {
        a = Nd4j.rand(DataType.FLOAT, 16, 16);
        b = Nd4j.rand(DataType.FLOAT, 16, 16);
        ta = Tensor.of(a);
        tb = Tensor.of(b);
        pa = Tensor.of(a.dup()).requiresGrad(true);
    }

    @Benchmark
    public double rawNd4jAdd() {
        INDArray c = a.add(b);
        double v = c.getDouble(0);
        c.close();
        return v;
    }

    @Benchmark
    public double engineAddNoGrad() {
        try (NoGrad off = NoGrad.enter(); dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            return ta.add(tb).value().getDouble(0);
        }
    }

    @Benchmark
    public double engineAddRecorded() {
        try (dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            return pa.add(tb).value().getDouble(0);
        }
    }
}
