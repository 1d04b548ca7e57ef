package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every op frees the temporaries of its forward and backward: 120 steps of (op, backward) in a scope
 * on 1 MB inputs. One leaked 1 MB array per step would grow resident memory by ~100 MB per 100
 * steps; the bound is 60 MB (measured noise from heap growth and allocator caching reaches
 * about 40 MB in a single run).
 */
class OpsFreeTheirBuffersTest {
    private static final int N = 512;

    static Stream<Arguments> ops() {
        return Stream.of(
                op("add", in -> in[0].add(in[1])),
                op("add broadcast", in -> in[0].add(in[1].sum(true, 0))),
                op("sub", in -> in[0].sub(in[1])),
                op("mul broadcast", in -> in[0].mul(in[1].mean(true, 1))),
                op("div", in -> in[0].div(in[1].abs().add(1.0))),
                op("scalar", in -> in[0].mul(2.0).add(1.0).neg().pow(2.0)),
                op("exp", in -> in[0].exp()),
                op("tanh", in -> in[0].tanh()),
                op("sigmoid", in -> in[0].sigmoid()),
                op("relu", in -> in[0].relu()),
                op("gelu", in -> in[0].gelu()),
                op("softplus", in -> in[0].softplus()),
                op("log/sqrt/abs", in -> in[0].abs().add(1.0).log().add(in[1].abs().add(1.0).sqrt())),
                op("matmul", in -> in[0].matmul(in[1])),
                op("matmul batched x matrix", in -> in[0].reshape(8, 64, N).matmul(in[1])),
                op("matmul broadcast", in -> in[0].reshape(8, 64, N).matmul(in[1].reshape(1, N, N))),
                op("transpose/permute", in -> in[0].transpose(0, 1).mul(in[1]).permute(1, 0)),
                op("slice/narrow/concat/stack", in -> Tensor.concat(0, in[0].slice(0, 0, 256), in[0].narrow(0, 256, 256))
                        .add(Tensor.stack(0, in[1], in[0]).sum(false, 0))),
                op("indexSelect/upsample/pad", in -> in[0].indexSelect(0, Tensor.indices(new long[] {3, 1, 3, 0}, 4))
                        .sum().add(in[0].upsampleNearest(1, 2 * N).sum()).add(in[1].pad(1, 2, 3, 0.5).sum())),
                op("reductions", in -> in[0].sum(true, 1).add(in[1].mean(false, 0)).add(in[0].max(1, true))),
                op("softmax", in -> in[0].softmax(-1).add(in[1].logSoftmax(0))),
                op("masking", in -> in[0].maskedFill(Tensor.owning(in[1].value().gt(0)), -1.0)
                        .add(Tensor.where(Tensor.owning(in[0].value().lt(0)), in[0], in[1]))),
                op("layerNorm", in -> Functional.layerNorm(in[0], in[1].slice(0, 0, 1).reshape(N), in[1].slice(0, 1, 2).reshape(N), 1e-5)),
                op("embedding/crossEntropy", in -> Functional.embedding(in[0], Tensor.indices(new long[] {1, 5, 1, 7}, 4)).sum()
                        .add(Functional.crossEntropy(in[1], Tensor.indices(new long[N], N)))),
                op("dropout", in -> Functional.dropout(in[0], 0.3, 11, true)),
                op("conv1d", in -> Functional.conv1d(in[0].reshape(4, 128, N), in[1].reshape(N * N).slice(0, 0, 128 * 128 * 3)
                        .reshape(128, 128, 3).transpose(0, 1).mul(0.01), null, 1, 1, 1)),
                op("depthwiseConv1d/pools", in -> Functional.depthwiseConv1d(in[0].reshape(4, 128, N), in[1].slice(0, 0, 128)
                        .slice(1, 0, 3), null, 2, 2, 0, 1).sum()
                        .add(Functional.maxPool1d(in[0].reshape(4, 128, N), 2, 2, 0).sum())
                        .add(Functional.avgPool1d(in[1].reshape(4, 128, N), 3, 2, 1).sum())));
    }

    private static Arguments op(String name, Function<Tensor[], Tensor> f) {
        return Arguments.of(name, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void residentMemoryStaysFlat(String name, Function<Tensor[], Tensor> f) {
        Tensor a = Tensor.randn(1, DataType.FLOAT, N, N).requiresGrad(true);
        Tensor b = Tensor.randn(2, DataType.FLOAT, N, N).requiresGrad(true);
        long start = 0;
        for (int step = 0; step < 120; step++) {
            try (Scope scope = Scope.open()) {
                Tensor y = f.apply(new Tensor[] {a, b});
                y.sum().backward();
            }
            a.zeroGrad();
            b.zeroGrad();
            if (step == 19) start = Pointer.physicalBytes();
        }
        long growth = Pointer.physicalBytes() - start;
        a.close();
        b.close();
        System.out.printf("OpsFreeTheirBuffersTest %s: %.1f MB%n", name, growth / 1e6);
        assertTrue(growth < 60L << 20, name + ": resident memory grew by " + growth / (1 << 20) + " MB in 100 steps");
    }
}
