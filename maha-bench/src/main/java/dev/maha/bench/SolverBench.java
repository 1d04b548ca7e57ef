package dev.maha.bench;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import dev.maha.optim.solvers.GradientMode;
import dev.maha.optim.solvers.SimplexProjection;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * Forward + backward of each aggregation solver on one million instances with L = 4 scales,
 * float32, as MAHA runs them (one instance per position and head). Time per call = time per million
 * instances. The Gram matrices are cosine similarities of random 16-dimensional vectors (PSD).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class SolverBench {
    private static final int INSTANCES = 1_000_000;
    private static final int L = 4;

    private INDArray scores;
    private INDArray valuations;
    private INDArray gram;
    private INDArray cotangent;

    @Setup(Level.Trial)
    public void setUp() {
        scores = Tensor.randn(1, DataType.FLOAT, INSTANCES, L).value();
        valuations = Transforms.softPlus(scores, true).addi(1e-3);
        INDArray u = Tensor.randn(2, DataType.FLOAT, INSTANCES, L, 16).value();
        INDArray norms = u.norm2(true, 2);          // [INSTANCES, L, 1]
        u.divi(norms);
        gram = Nd4j.matmul(u, u, null, false, true, false);
        u.close();
        norms.close();
        cotangent = Tensor.randn(3, DataType.FLOAT, INSTANCES, L).value();
    }

    private double backwardFrom(Tensor w) {
        w.backward(cotangent);
        return w.value().getDouble(0);
    }

    @Benchmark
    public double simplexProjection() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(scores).requiresGrad(true);
            double v = backwardFrom(SimplexProjection.project(x));
            x.close();
            return v;
        }
    }

    @Benchmark
    public double convexExactImplicit() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(scores).requiresGrad(true);
            Tensor g = Tensor.of(gram).requiresGrad(true);
            double v = backwardFrom(ConvexAllocation.solve(x, g, ConvexAllocation.Options.exact()).weights());
            x.close();
            g.close();
            return v;
        }
    }

    @Benchmark
    public double convexFista10Unrolled() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(scores).requiresGrad(true);
            Tensor g = Tensor.of(gram).requiresGrad(true);
            double v = backwardFrom(ConvexAllocation.solve(x, g, ConvexAllocation.Options.fista(10)
                    .withGradientMode(GradientMode.UNROLLED)).weights());
            x.close();
            g.close();
            return v;
        }
    }

    @Benchmark
    public double contestExactImplicit() {
        try (Scope s = Scope.open()) {
            Tensor v = Tensor.of(valuations).requiresGrad(true);
            double r = backwardFrom(ContestEquilibrium.solve(v, ContestEquilibrium.Options.exact()).weights());
            v.close();
            return r;
        }
    }

    @Benchmark
    public double contestBestResponse10Unrolled() {
        try (Scope s = Scope.open()) {
            Tensor v = Tensor.of(valuations).requiresGrad(true);
            double r = backwardFrom(ContestEquilibrium.solve(v, ContestEquilibrium.Options.bestResponse(10, 0.2)
                    .withGradient(GradientMode.UNROLLED)).weights());
            v.close();
            return r;
        }
    }
}
