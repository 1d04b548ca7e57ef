package dev.maha.bench;

import dev.maha.autograd.NoGrad;
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
 * Square float32 matrix product: {@code Nd4j.gemm} into a preallocated output (the BLAS ceiling),
 * {@code INDArray.mmul} (ND4J's convenience path), and the engine's {@code matmul} (allocating its
 * output, freed by a scope). GFLOP/s = 2n³ / time.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MatmulBench {
    @Param({"1024"})
    public int n;

    private INDArray a;
    private INDArray b;
    private INDArray c;
    private Tensor ta;
    private Tensor tb;

    @Setup(Level.Trial)
    public void setUp() {
        a = Nd4j.rand(DataType.FLOAT, n, n);
        b = Nd4j.rand(DataType.FLOAT, n, n);
        c = Nd4j.create(DataType.FLOAT, n, n);
        ta = Tensor.of(a);
        tb = Tensor.of(b);
    }

    @Benchmark
    public double nd4jGemm() {
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        return c.getDouble(0);
    }

    @Benchmark
    public double nd4jMmul() {
        INDArray out = a.mmul(b);
        double v = out.getDouble(0);
        out.close();
        return v;
    }

    @Benchmark
    public double engineMatmul() {
        try (NoGrad off = NoGrad.enter(); dev.maha.autograd.Scope s = dev.maha.autograd.Scope.open()) {
            return ta.matmul(tb).value().getDouble(0);
        }
    }
}
