package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.optim.schedule.LrSchedule;
import dev.maha.optim.schedule.WarmupCosine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Save → restore → continue is bit-identical to an uninterrupted run, for every optimizer, through a
 * map and through a safetensors file. The learning rate follows a warm-up/cosine schedule driven
 * by the restored step count, and every third step one parameter has no gradient.
 */
class ResumeTest {
    private static final int TOTAL = 12;
    private static final int SPLIT = 5;
    private static final long SEED = 3;
    private static final LrSchedule SCHEDULE = new WarmupCosine(0.05, 3, TOTAL, 0.005);

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Function<Map<String, Tensor>, Optimizer>) p ->
                        Sgd.builder(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build(p)),
                Arguments.of("sgd nesterov", (Function<Map<String, Tensor>, Optimizer>) p ->
                        Sgd.builder(0.05).momentum(0.9).nesterov(true).build(p)),
                Arguments.of("adam", (Function<Map<String, Tensor>, Optimizer>) p ->
                        Adam.builder(0.05).weightDecay(0.01).build(p)),
                Arguments.of("adamw", (Function<Map<String, Tensor>, Optimizer>) p ->
                        AdamW.builder(0.05).weightDecay(0.1).build(p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromAMapIsBitIdentical(String name, Function<Map<String, Tensor>, Optimizer> build) {
        Map<String, double[]> uninterrupted = uninterrupted(build);

        Map<String, Tensor> params = Runs.params(SEED, DataType.DOUBLE);
        Map<String, Tensor> restored = new LinkedHashMap<>();
        Map<String, INDArray> saved;
        try (Optimizer first = build.apply(params)) {
            run(first, params, 0, SPLIT);
            saved = first.stateDict();
            params.forEach((k, t) -> restored.put(k, Tensor.owning(t.value().dup()).requiresGrad(true)));
            run(first, params, SPLIT, SPLIT + 2);       // the dict is a copy: later steps leave it alone
        }
        params.values().forEach(Tensor::close);
        try (Optimizer second = build.apply(restored)) {
            second.setLearningRate(1.0);                 // overwritten by the dict
            second.loadStateDict(saved);
            assertEquals(SPLIT, second.steps());
            run(second, restored, SPLIT, TOTAL);
        }
        assertBitIdentical(uninterrupted, restored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromASafetensorsFileIsBitIdentical(String name, Function<Map<String, Tensor>, Optimizer> build,
                                                    @TempDir Path dir) throws IOException {
        Map<String, double[]> uninterrupted = uninterrupted(build);

        Path optimizerFile = dir.resolve("optimizer.safetensors");
        Path modelFile = dir.resolve("model.safetensors");
        Map<String, Tensor> params = Runs.params(SEED, DataType.DOUBLE);
        try (Optimizer first = build.apply(params)) {
            run(first, params, 0, SPLIT);
            SafeTensors.write(optimizerFile, first.stateDict(), Map.of("optimizer", first.name()));
            Map<String, INDArray> model = new LinkedHashMap<>();
            params.forEach((k, t) -> model.put(k, t.value()));
            SafeTensors.write(modelFile, model, Map.of());
        }
        params.values().forEach(Tensor::close);

        Map<String, Tensor> restored = new LinkedHashMap<>();
        SafeTensors.read(modelFile).tensors().forEach((k, v) -> restored.put(k, Tensor.owning(v).requiresGrad(true)));
        try (Optimizer second = build.apply(restored)) {
            second.loadStateDict(SafeTensors.read(optimizerFile).tensors());
            run(second, restored, SPLIT, TOTAL);
        }
        assertBitIdentical(uninterrupted, restored);
    }

    private static Map<String, double[]> uninterrupted(Function<Map<String, Tensor>, Optimizer> build) {
        Map<String, Tensor> params = Runs.params(SEED, DataType.DOUBLE);
        try (Optimizer opt = build.apply(params)) {
            run(opt, params, 0, TOTAL);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        params.forEach((k, t) -> out.put(k, t.toDoubleArray()));
        params.values().forEach(Tensor::close);
        return out;
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive), the schedule setting each step's rate. */
    private static void run(Optimizer opt, Map<String, Tensor> params, int from, int to) {
        for (int s = from; s < to; s++) {
            assertEquals(s, opt.steps());
            opt.setLearningRate(SCHEDULE.at(opt.steps()));
            Runs.setGrads(params, SEED, s);
            opt.step();
        }
        opt.zeroGrad();
    }

    private static void assertBitIdentical(Map<String, double[]> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> {
            double[] a = actual.get(k).toDoubleArray();
            long[] eb = new long[v.length];
            long[] ab = new long[a.length];
            for (int i = 0; i < v.length; i++) {
                eb[i] = Double.doubleToRawLongBits(v[i]);
                ab[i] = Double.doubleToRawLongBits(a[i]);
            }
            assertArrayEquals(eb, ab, "bits of parameter '" + k + "'");
        });
        actual.values().forEach(Tensor::close);
    }
}
