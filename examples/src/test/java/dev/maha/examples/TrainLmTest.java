package dev.maha.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-lm end to end on the bundled corpus with tiny models. */
class TrainLmTest {
    @TempDir
    Path dir;

    @Test
    void twentyStepsLowerTheLossOfBothModels() throws Exception {
        Cli.Run run = Cli.trainTiny("--model", "both", "--steps", "20", "--lr", "1e-2", "--eval-every", "20",
                "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String arch : new String[] {"mhsa", "maha"}) {
            double[] losses = Cli.trainLosses(dir.resolve(arch).resolve("checkpoint.safetensors"));
            assertEquals(20, losses.length);
            double first = Arrays.stream(losses, 0, 5).average().orElseThrow();
            double last = Arrays.stream(losses, 15, 20).average().orElseThrow();
            // From ln(73) = 4.29 at initialisation towards the unigram entropy (3.14 nats): a clear fall.
            assertTrue(last < first - 0.5, arch + ": first 5 steps " + first + ", last 5 steps " + last);
        }
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000, "loss curve written");
    }

    @Test
    void resumingFromACheckpointRepeatsTheUninterruptedLossesBitForBit() throws Exception {
        // Dropout on, so the resumed run must also continue every dropout stream where it stopped.
        String[] common = {"--model", "maha", "--dropout", "0.1", "--steps", "8", "--eval-every", "3",
            "--checkpoint-every", "100"};
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        assertEquals(0, Cli.trainTiny(concat(common, "--out", whole.toString())).exitCode());
        assertEquals(0, Cli.trainTiny(concat(common, "--out", split.toString(), "--stop-at", "4")).exitCode());
        assertEquals(4, Cli.trainLosses(split.resolve("checkpoint.safetensors")).length);
        Cli.Run resumed = Cli.execute("train-lm", "--resume", split.resolve("checkpoint.safetensors").toString(),
                "--sample-length", "8");
        assertEquals(0, resumed.exitCode(), resumed.err());
        double[] expected = Cli.trainLosses(whole.resolve("checkpoint.safetensors"));
        double[] actual = Cli.trainLosses(split.resolve("checkpoint.safetensors"));
        assertEquals(8, expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(expected[i] == actual[i], "step " + i + ": uninterrupted " + expected[i] + ", resumed " + actual[i]);
        }
        // The final parameters and optimizer state are identical too, byte for byte.
        SafeTensors.Contents a = SafeTensors.read(whole.resolve("checkpoint.safetensors"));
        SafeTensors.Contents b = SafeTensors.read(split.resolve("checkpoint.safetensors"));
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.get(name).data().asBytes(), b.get(name).data().asBytes(), name);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
