package dev.maha.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The recall task's sequences, and train-recall end to end with tiny models. */
class TrainRecallTest {
    @TempDir
    Path dir;

    @Test
    void everyAnswerIsTheValueStoredAfterItsKeyFarBack() {
        int n = 1024;
        int pairs = 6;
        int queries = 5;
        int keys = 10;
        int values = 7;
        RecallTask task = new RecallTask(n, pairs, queries, keys, values, 4, 3, 11, 1);
        try (Scope s = Scope.open()) {
            RecallTask.Batch b = task.batch(42);
            INDArray tokens = b.tokens().value();
            INDArray targets = b.targets().value();
            for (int r = 0; r < 3; r++) {
                java.util.Set<Long> distinct = new java.util.HashSet<>();
                for (int i = 0; i < pairs; i++) {
                    assertTrue(tokens.getLong(r, 2 * i) < keys, "key ids first");
                    assertTrue(distinct.add(tokens.getLong(r, 2 * i)), "stored keys are distinct");
                    assertTrue(tokens.getLong(r, 2 * i + 1) >= keys && tokens.getLong(r, 2 * i + 1) < keys + values);
                }
                int answers = 0;
                for (int j = 0; j < n; j++) {
                    long t = targets.getLong(r, j);
                    if (j < 2 * pairs || j >= n - 2 * queries) continue;
                    assertEquals(-100, t, "no loss on the filler");
                    assertTrue(tokens.getLong(r, j) >= keys + values, "filler ids last");
                }
                for (int q = 0; q < queries; q++) {
                    int at = n - 2 * queries + 2 * q;
                    long key = tokens.getLong(r, at);
                    long stored = -1;
                    for (int i = 0; i < pairs; i++) if (tokens.getLong(r, 2 * i) == key) stored = tokens.getLong(r, 2 * i + 1);
                    assertNotEquals(-1, stored, "the query asks a stored key");
                    assertEquals(stored, targets.getLong(r, at), "the key's position predicts its value");
                    assertEquals(stored, tokens.getLong(r, at + 1), "and the value follows");
                    assertEquals(-100, targets.getLong(r, at + 1));
                    answers++;
                }
                assertEquals(queries, answers);
            }
            assertEquals(tokens, task.batch(42).tokens().value(), "a step's batch depends on the step alone");
            assertNotEquals(tokens, task.batch(43).tokens().value());
        }
    }

    @Test
    void trainsBothModelsAndReportsAccuracy() throws Exception {
        Cli.Run run = Cli.execute("train-recall", "--width", "16", "--layers", "1", "--heads", "2", "--batch", "1",
                "--steps", "3", "--warmup", "1", "--eval-every", "3", "--eval-batches", "1", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String arch : new String[] {"mhsa", "maha"}) {
            assertEquals(3, Cli.trainLosses(dir.resolve(arch).resolve("checkpoint.safetensors")).length);
        }
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
    }
}
