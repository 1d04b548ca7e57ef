package dev.maha.core.model;

import static dev.maha.core.model.ModelTesting.assertMessage;
import static dev.maha.core.model.ModelTesting.keyMask;
import static dev.maha.core.model.ModelTesting.prefixValid;
import static dev.maha.core.model.ModelTesting.randomIds;
import static dev.maha.core.model.ModelTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.model.ModelConfig.Head;
import dev.maha.core.model.ModelConfig.Positions;
import dev.maha.core.nn.Checkpoint;
import dev.maha.core.nn.Linear;
import dev.maha.core.nn.Module;
import dev.maha.optim.AdamW;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The model over any SequenceBlock: heads, losses, causality, training, checkpoints, generation, checks. */
class TransformerModelTest {
    private static final int V = 11;
    private static final int D = 8;

    @TempDir
    Path dir;

    private static ModelConfig lm(int maxLength, int layers, DataType dtype) {
        return new ModelConfig(V, D, maxLength, layers, 0.0, Positions.LEARNED, Head.TIED_LM, 5, dtype);
    }

    /** A block y = x + Linear(x) with a fixed aux loss, to check the generic constructor and the aux sum. */
    static final class AuxBlock extends Module implements SequenceBlock {
        private final Linear lin;
        private final double aux;

        AuxBlock(int d, double aux, long seed, DataType dtype) {
            this.lin = registerModule("lin", new Linear(d, d, true, seed, dtype));
            this.aux = aux;
        }

        @Override
        public BlockOutput forward(Tensor x, Tensor keyValid) {
            return new BlockOutput(x.add(lin.forward(x)), Tensor.scalar(aux, x.dtype()));
        }
    }

    /** Mean over rows b and positions t < n−1 with a valid target of −log softmax(logits[b, t])[ids[b, t+1]]. */
    private static double nextTokenLoss(INDArray logits, long[][] ids, boolean[][] valid) {
        double total = 0;
        int count = 0;
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t + 1 < ids[b].length; t++) {
                if (valid != null && !valid[b][t + 1]) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < logits.size(2); c++) max = Math.max(max, logits.getDouble(b, t, c));
                double sum = 0;
                for (int c = 0; c < logits.size(2); c++) sum += Math.exp(logits.getDouble(b, t, c) - max);
                total += max + Math.log(sum) - logits.getDouble(b, t, (int) ids[b][t + 1]);
                count++;
            }
        }
        return total / count;
    }

    // ------------------------------------------------------------------ structure

    @Test
    void parameterNamesAndTheTiedHeadAddsNoParameters() {
        TransformerModel model = TransformerModel.baseline(lm(16, 2, DataType.FLOAT), 2, true);
        List<String> names = List.copyOf(model.namedParameters().keySet());
        assertEquals("tokens.weight", names.get(0));
        assertEquals("positions.weight", names.get(1));
        assertEquals("blocks.0.norm1.weight", names.get(2));
        assertTrue(names.contains("blocks.1.attn.q.weight"));
        assertEquals(List.of("norm.weight", "norm.bias"), names.subList(names.size() - 2, names.size()));
        long block = model.blocks().get(0).parameterCount();
        assertEquals((long) V * D + 16L * D + 2 * block + 2L * D, model.parameterCount());

        TransformerModel big = TransformerModel.baseline(new ModelConfig(1000, D, 500, 1, 0, Positions.LEARNED, Head.TIED_LM, 3,
                DataType.FLOAT), 2, true);
        for (String table : new String[] {"tokens.weight", "positions.weight"}) {
            double std = big.namedParameters().get(table).value().stdNumber().doubleValue();
            assertEquals(0.02, std, 0.002, table + " starts N(0, 0.02²)");
        }

        TransformerModel noPositions = TransformerModel.baseline(lm(16, 1, DataType.FLOAT).withPositions(Positions.NONE), 2, true);
        assertNull(noPositions.positionEmbedding());
        assertFalse(noPositions.namedParameters().containsKey("positions.weight"));

        TransformerModel cls = TransformerModel.baseline(lm(16, 1, DataType.FLOAT).withHead(Head.classifier(3)), 2, false);
        assertArrayEquals(new long[] {3, D}, cls.namedParameters().get("classifier.weight").shape());
        assertArrayEquals(new long[] {3}, cls.namedParameters().get("classifier.bias").shape());
    }

    @Test
    void lmLogitsAreTheFinalStatesTimesTheEmbeddingTransposed() {
        try (Scope scope = Scope.open()) {
            TransformerModel model = new TransformerModel(lm(8, 2, DataType.DOUBLE), i -> new AuxBlock(D, 0, i, DataType.DOUBLE));
            long[][] ids = randomIds(new SplittableRandom(1), 2, 6, V);
            Tensor x = model.tokenEmbedding().forward(tokens(ids)).add(model.positionEmbedding().weight().narrow(0, 0, 6));
            for (int i = 0; i < 2; i++) x = model.block(i).forward(x, null).output();
            Tensor h = model.finalNorm().forward(x);
            Tensor expected = h.matmul(model.tokenEmbedding().weight().transpose(0, 1));
            TransformerModel.Output out = model.forward(tokens(ids));
            assertArrayEquals(new long[] {2, 6, V}, out.logits().shape());
            Close.assertClose("logits", expected.value(), out.logits().value(), 1e-12);
        }
    }

    @Test
    void auxLossIsTheSumOverBlocksAndEntersTheLosses() {
        try (Scope scope = Scope.open()) {
            ModelConfig cfg = lm(8, 3, DataType.DOUBLE);
            TransformerModel model = new TransformerModel(cfg, i -> new AuxBlock(D, 0.25 * (i + 1), i, DataType.DOUBLE));
            long[][] ids = randomIds(new SplittableRandom(2), 2, 5, V);
            TransformerModel.Output out = model.forward(tokens(ids));
            assertEquals(0, out.aux().rank());
            assertEquals(1.5, out.aux().item(), 1e-15);
            double ce = nextTokenLoss(out.logits().value(), ids, null);
            assertEquals(ce + 1.5, model.lmLoss(tokens(ids)).item(), 1e-12);

            TransformerModel cls = new TransformerModel(cfg.withHead(Head.classifier(4)),
                    i -> new AuxBlock(D, 0.5, i, DataType.DOUBLE));
            Tensor labels = Tensor.indices(new long[] {3, 0}, 2);
            INDArray logits = cls.forward(tokens(ids)).logits().value();
            double expected = 0;
            for (int b = 0; b < 2; b++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 4; c++) max = Math.max(max, logits.getDouble(b, c));
                double sum = 0;
                for (int c = 0; c < 4; c++) sum += Math.exp(logits.getDouble(b, c) - max);
                expected += (max + Math.log(sum) - logits.getDouble(b, b == 0 ? 3 : 0)) / 2;
            }
            assertEquals(expected + 1.5, cls.classifierLoss(tokens(ids), labels, null).item(), 1e-12);
        }
    }

    @Test
    void lmLossIsShiftedNextTokenCrossEntropy() {
        try (Scope scope = Scope.open()) {
            TransformerModel model = TransformerModel.baseline(lm(10, 2, DataType.DOUBLE), 2, true);
            long[][] ids = randomIds(new SplittableRandom(3), 3, 7, V);
            double expected = nextTokenLoss(model.forward(tokens(ids)).logits().value(), ids, null);
            assertEquals(expected, model.lmLoss(tokens(ids)).item(), 1e-12);

            boolean[][] valid = prefixValid(7, 7, 4, 2);
            double masked = nextTokenLoss(model.forward(tokens(ids), keyMask(valid)).logits().value(), ids, valid);
            assertEquals(masked, model.lmLoss(tokens(ids), keyMask(valid)).item(), 1e-12);
            assertEquals(7, ids[0].length, "the caller's tokens are untouched");
            Tensor t = tokens(ids);
            double[] before = t.toDoubleArray();
            model.lmLoss(t, keyMask(valid));
            assertArrayEquals(before, t.toDoubleArray(), "lmLoss must not write into the tokens");
        }
    }

    // ------------------------------------------------------------------ causality

    @Test
    void futureTokensNeverChangeThePast() {
        SplittableRandom rng = new SplittableRandom(4);
        for (Integer window : new Integer[] {null, 4}) {
            TransformerModel model = TransformerModel.baseline(lm(40, 2, DataType.FLOAT), 2, 32, true, window);
            for (int n = 1; n <= 40; n++) {
                try (Scope scope = Scope.open(); NoGrad off = NoGrad.enter()) {
                    long[][] ids = randomIds(rng, 2, n, V);
                    int t = rng.nextInt(n);
                    long[][] changed = new long[2][];
                    for (int b = 0; b < 2; b++) {
                        changed[b] = ids[b].clone();
                        for (int j = t + 1; j < n; j++) changed[b][j] = (ids[b][j] + 1 + rng.nextInt(V - 1)) % V;
                    }
                    INDArray a = model.forward(tokens(ids)).logits().value();
                    INDArray c = model.forward(tokens(changed)).logits().value();
                    INDArray pastA = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all());
                    INDArray pastC = c.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all());
                    assertArrayEquals(pastA.dup('c').data().asDouble(), pastC.dup('c').data().asDouble(),
                            "window " + window + ", n = " + n + ", t = " + t);
                    if (t + 1 < n) {
                        INDArray nextA = a.get(NDArrayIndex.all(), NDArrayIndex.point(t + 1), NDArrayIndex.all());
                        INDArray nextC = c.get(NDArrayIndex.all(), NDArrayIndex.point(t + 1), NDArrayIndex.all());
                        assertFalse(Arrays.equals(nextA.dup('c').data().asDouble(), nextC.dup('c').data().asDouble()),
                                "the changed token at t + 1 must change its own logits (n = " + n + ")");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ training

    @Test
    void tinyLanguageModelLearnsARepeatingPattern() {
        ModelConfig cfg = new ModelConfig(6, 16, 16, 1, 0.0, Positions.LEARNED, Head.TIED_LM, 1, DataType.FLOAT);
        TransformerModel model = TransformerModel.baseline(cfg, 2, true);
        long[][] ids = new long[4][12];
        for (int b = 0; b < 4; b++) for (int j = 0; j < 12; j++) ids[b][j] = (b + j) % 6;
        double initial = Double.NaN;
        double last = Double.NaN;
        try (AdamW opt = AdamW.builder(0.02).weightDecay(0).build(model.namedParameters())) {
            for (int step = 0; step < 30; step++) {
                try (Scope scope = Scope.open()) {
                    Tensor loss = model.lmLoss(tokens(ids));
                    loss.backward();
                    opt.step();
                    opt.zeroGrad();
                    last = loss.item();
                    if (step == 0) initial = last;
                }
            }
        }
        assertTrue(last < 0.5 * initial, "loss " + initial + " -> " + last);
    }

    // ------------------------------------------------------------------ classification

    @Test
    void classifierPoolsOnlyValidPositionsExactly() {
        ModelConfig cfg = lm(12, 2, DataType.DOUBLE).withHead(Head.classifier(3));
        TransformerModel model = TransformerModel.baseline(cfg, 2, false);
        SplittableRandom rng = new SplittableRandom(6);
        try (Scope scope = Scope.open()) {
            long[][] ids = randomIds(rng, 3, 9, V);
            boolean[][] valid = prefixValid(9, 9, 5, 1);
            TransformerModel.Output out = model.forward(tokens(ids), keyMask(valid));
            assertArrayEquals(new long[] {3, 3}, out.logits().shape());
            assertEquals(0.0, out.aux().item());

            long[][] otherPadding = new long[3][];
            for (int b = 0; b < 3; b++) {
                otherPadding[b] = ids[b].clone();
                for (int j = 0; j < 9; j++) if (!valid[b][j]) otherPadding[b][j] = (ids[b][j] + 3) % V;
            }
            assertArrayEquals(out.logits().toDoubleArray(), model.forward(tokens(otherPadding), keyMask(valid)).logits().toDoubleArray(),
                    "padded tokens must not change the logits, bit for bit");

            // A padded row gives the logits of the same row cut to its valid length, without a mask.
            for (int b = 0; b < 3; b++) {
                int len = 0;
                while (len < 9 && valid[b][len]) len++;
                long[][] cut = {Arrays.copyOf(ids[b], len)};
                INDArray alone = model.forward(tokens(cut), null).logits().value();
                INDArray row = out.logits().value().get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all());
                Close.assertClose("row " + b, alone, row, 1e-12);
            }
        }
    }

    @Test
    void classifierLossTrainsTowardTheLabels() {
        ModelConfig cfg = lm(8, 1, DataType.DOUBLE).withHead(Head.classifier(2));
        TransformerModel model = TransformerModel.baseline(cfg, 2, false);
        long[][] ids = {{1, 2, 3, 4, 0, 0}, {5, 6, 7, 0, 0, 0}};
        boolean[][] valid = prefixValid(6, 4, 3);
        double initial = Double.NaN;
        double last = Double.NaN;
        try (AdamW opt = AdamW.builder(0.02).weightDecay(0).build(model.namedParameters())) {
            for (int step = 0; step < 10; step++) {
                try (Scope scope = Scope.open()) {
                    Tensor loss = model.classifierLoss(tokens(ids), Tensor.indices(new long[] {0, 1}, 2), keyMask(valid));
                    loss.backward();
                    opt.step();
                    opt.zeroGrad();
                    last = loss.item();
                    if (step == 0) initial = last;
                }
            }
        }
        assertTrue(last < 0.5 * initial, "loss " + initial + " -> " + last);
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void checkpointRoundTripGivesIdenticalLogits() throws IOException {
        ModelConfig cfg = lm(10, 2, DataType.FLOAT);
        TransformerModel saved = TransformerModel.baseline(cfg, 2, true);
        TransformerModel loaded = TransformerModel.baseline(cfg.withSeed(99), 2, true);
        Path file = dir.resolve("lm.safetensors");
        Checkpoint.save(file, saved, Map.of("kind", "baseline"));
        try (Scope scope = Scope.open(); NoGrad off = NoGrad.enter()) {
            long[][] ids = randomIds(new SplittableRandom(7), 2, 10, V);
            double[] before = loaded.forward(tokens(ids)).logits().toDoubleArray();
            double[] expected = saved.forward(tokens(ids)).logits().toDoubleArray();
            assertFalse(Arrays.equals(before, expected), "another seed gives another model");
            assertEquals(Map.of("kind", "baseline"), Checkpoint.load(file, loaded));
            assertArrayEquals(expected, loaded.forward(tokens(ids)).logits().toDoubleArray());
        }
        TransformerModel wider = TransformerModel.baseline(lm(12, 2, DataType.FLOAT), 2, true);
        assertMessage(() -> Checkpoint.load(file, wider), "positions.weight", "[10, 8]", "[12, 8]");
    }

    // ------------------------------------------------------------------ generation

    @Test
    void greedyGenerationIsDeterministicAndRespectsTheLength() {
        TransformerModel model = TransformerModel.baseline(lm(8, 2, DataType.FLOAT), 2, true);
        int[] prompt = {1, 2, 3};
        int[] a = model.generate(prompt, 20, Sampler.greedy());
        int[] b = model.generate(prompt, 20, Sampler.greedy());
        assertEquals(20, a.length);
        assertArrayEquals(a, b);
        for (int id : a) assertTrue(id >= 0 && id < V);
        assertEquals(0, model.generate(prompt, 0, Sampler.greedy()).length);
        assertArrayEquals(new int[] {1, 2, 3}, prompt, "the prompt is not modified");
    }

    @Test
    void greedyGenerationPicksTheArgMaxOfTheTruncatedContext() {
        TransformerModel model = TransformerModel.baseline(lm(6, 1, DataType.DOUBLE), 2, true);
        int[] prompt = {4, 1, 7, 7, 2, 9, 0, 3};                            // longer than maxLength 6
        int[] generated = model.generate(prompt, 5, Sampler.greedy());
        List<Integer> text = new ArrayList<>();
        for (int p : prompt) text.add(p);
        model.eval();
        for (int step = 0; step < 5; step++) {
            List<Integer> ctx = text.subList(Math.max(0, text.size() - 6), text.size());
            long[][] ids = {ctx.stream().mapToLong(Integer::longValue).toArray()};
            try (Scope scope = Scope.open(); NoGrad off = NoGrad.enter()) {
                INDArray logits = model.forward(tokens(ids)).logits().value();
                int best = 0;
                for (int c = 1; c < V; c++) if (logits.getDouble(0, ctx.size() - 1, c) > logits.getDouble(0, ctx.size() - 1, best)) best = c;
                assertEquals(best, generated[step], "step " + step);
                text.add(best);
            }
        }
    }

    @Test
    void sampledGenerationIsReproducibleAndRestoresTrainingMode() {
        TransformerModel model = TransformerModel.baseline(lm(8, 1, DataType.FLOAT).withDropout(0.3), 2, true);
        assertTrue(model.isTraining());
        int[] a = model.generate(new int[] {5}, 12, new Sampler(1.0, 4, 42));
        int[] b = model.generate(new int[] {5}, 12, new Sampler(1.0, 4, 42));
        assertArrayEquals(a, b, "dropout is off during generation and the sampler is seeded");
        assertTrue(model.isTraining(), "training mode is restored");
        assertTrue(model.blocks().get(0).isTraining());
        model.eval();
        model.generate(new int[] {5}, 2, Sampler.greedy());
        assertFalse(model.isTraining(), "evaluation mode is restored too");
    }

    @Test
    void theDocumentedExampleRuns() throws IOException {
        long[][] ids = new long[2][16];
        for (int b = 0; b < 2; b++) for (int j = 0; j < 16; j++) ids[b][j] = (3 * b + j) % 64;
        Tensor batch = tokens(ids);
        ModelConfig cfg = ModelConfig.languageModel(64, 32, 128, 2).withDropout(0);
        TransformerModel model = TransformerModel.baseline(cfg, 4, true);
        try (AdamW opt = AdamW.builder(1e-2).build(model.namedParameters())) {
            for (int step = 0; step < 3; step++) {
                try (Scope s = Scope.open()) {
                    Tensor loss = model.lmLoss(batch);
                    loss.backward();
                    opt.step();
                    opt.zeroGrad();
                }
            }
        }
        int[] text = model.generate(new int[] {1, 2, 3}, 40, new Sampler(0.8, 10, 7));
        assertEquals(40, text.length);
        Checkpoint.save(dir.resolve("lm.safetensors"), model, Map.of());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputsNameTheTensorAndItsShape() {
        TransformerModel model = TransformerModel.baseline(new ModelConfig(50, D, 128, 1, 0, Positions.LEARNED, Head.TIED_LM, 1,
                DataType.FLOAT), 2, true);
        try (Scope scope = Scope.open()) {
            assertMessage(() -> model.forward(Tensor.zeros(DataType.FLOAT, 2, 5)), "tokens", "int64", "FLOAT [2, 5]");
            assertMessage(() -> model.forward(Tensor.indices(new long[6], 6)), "tokens", "[B, n]", "[6]");
            assertMessage(() -> model.forward(Tensor.indices(new long[130], 1, 130)),
                    "tokens [1, 130]", "n (130) exceeds the position table (128)");
            long[] ids = new long[10];
            ids[7] = 57;
            assertMessage(() -> model.forward(Tensor.indices(ids, 2, 5)), "tokens[1, 2] = 57", "outside the vocabulary [0, 50)");
            long[] negative = new long[10];
            negative[3] = -1;
            assertMessage(() -> model.forward(Tensor.indices(negative, 2, 5)), "tokens[0, 3] = -1", "[0, 50)");
            Tensor good = Tensor.indices(new long[10], 2, 5);
            assertMessage(() -> model.forward(good, keyMask(prefixValid(4, 4, 4))), "TransformerModel",
                    "keyValid has shape [2, 4]", "BOOL [2, 5]");
            assertMessage(() -> model.lmLoss(Tensor.indices(new long[2], 2, 1)), "lmLoss", "[2, 1]", "n >= 2");
            assertMessage(() -> model.classifierLoss(good, Tensor.indices(new long[2], 2), null), "classifierLoss",
                    "CLASSIFIER", "TIED_LM");
            assertMessage(() -> model.generate(new int[] {3, 50}, 2, Sampler.greedy()), "prompt[1] = 50", "[0, 50)");
            assertMessage(() -> model.generate(new int[0], 2, Sampler.greedy()), "prompt", "at least one");
            assertMessage(() -> model.generate(new int[] {1}, -1, Sampler.greedy()), "length (-1)");
        }
        TransformerModel none = TransformerModel.baseline(lm(4, 1, DataType.FLOAT).withPositions(Positions.NONE), 2, true);
        try (Scope scope = Scope.open()) {
            assertMessage(() -> none.forward(Tensor.indices(new long[5], 1, 5)), "n (5) exceeds maxLength (4)");
        }
        TransformerModel cls = TransformerModel.baseline(lm(8, 1, DataType.FLOAT).withHead(Head.classifier(3)), 2, false);
        try (Scope scope = Scope.open()) {
            Tensor good = Tensor.indices(new long[10], 2, 5);
            assertMessage(() -> cls.classifierLoss(good, Tensor.indices(new long[3], 3), null), "labels", "[2]", "LONG [3]");
            assertMessage(() -> cls.classifierLoss(good, Tensor.indices(new long[] {0, 3}, 2), null), "labels[1] = 3",
                    "classes [0, 3)");
            assertMessage(() -> cls.forward(good, keyMask(prefixValid(5, 5, 0))), "keyValid row 1 has no valid position");
            assertMessage(() -> cls.lmLoss(good), "lmLoss", "TIED_LM", "CLASSIFIER(3)");
            assertMessage(() -> cls.generate(new int[] {1}, 1, Sampler.greedy()), "generate", "CLASSIFIER(3)");
        }
    }

    @Test
    void badBlockFactoriesAreRejected() {
        ModelConfig cfg = lm(8, 2, DataType.DOUBLE);
        assertMessage(() -> new TransformerModel(cfg, i -> null), "block factory returned null for layer 0");
        AuxBlock shared = new AuxBlock(D, 0, 1, DataType.DOUBLE);
        assertMessage(() -> new TransformerModel(cfg, i -> shared), "same module twice", "layer 1");
        assertMessage(() -> new TransformerModel(cfg, i -> new AuxBlock(D, 0, i, DataType.FLOAT)),
                "'blocks.0.lin.weight' is FLOAT", "DOUBLE");
        TransformerModel wrongWidth = new TransformerModel(cfg, i -> new StandardBlock(4, 2, false, 0, i, DataType.DOUBLE));
        try (Scope scope = Scope.open()) {
            assertMessage(() -> wrongWidth.forward(Tensor.indices(new long[3], 1, 3)), "StandardBlock(d=4)", "[1, 3, 8]");
        }
    }
}
