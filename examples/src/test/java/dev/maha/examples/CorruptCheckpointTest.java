package dev.maha.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.io.SafeTensors;
import dev.maha.core.model.TransformerModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged checkpoint (truncated, a flipped byte in the header or in the data, tensors of the wrong
 * shape) is refused by resume, sample and eval with a message naming the file, and the output folder
 * keeps its files byte for byte.
 */
class CorruptCheckpointTest {
    @TempDir
    static Path dir;
    static Path good;
    static byte[] goodBytes;

    @BeforeAll
    static void trainThreeSteps() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, Cli.trainTiny("--steps", "3", "--out", run.toString()).exitCode());
        good = run.resolve("checkpoint.safetensors");
        goodBytes = Files.readAllBytes(good);
    }

    @Test
    void aTruncatedCheckpointIsRefused() throws Exception {
        assertRefused(write("truncated", Arrays.copyOf(goodBytes, goodBytes.length - 100)), "corrupted");
    }

    @Test
    void aFlippedByteInTheHeaderIsRefused() throws Exception {
        byte[] b = goodBytes.clone();
        int at = indexOf(b, "\"shape\":[".getBytes()) + 9;
        b[at] = (byte) (b[at] ^ 0x02);                   // a digit of the first shape changes
        assertRefused(write("header", b), "corrupted");
    }

    @Test
    void aFlippedByteInTheDataIsRefused() throws Exception {
        byte[] b = goodBytes.clone();
        b[b.length - 10] = (byte) (b[b.length - 10] ^ 0x40);
        assertRefused(write("data", b), "SHA-256 does not match");
    }

    @Test
    void tensorsOfTheWrongShapeAreRefused() throws Exception {
        // A genuine checkpoint (valid checksum) whose metadata describe a wider model than its tensors.
        Map<String, String> meta = new HashMap<>(SafeTensors.read(good).metadata());
        meta.remove("sha256");
        meta.put(LmCheckpoint.MODEL_ARGS, meta.get(LmCheckpoint.MODEL_ARGS).replace("--width=32", "--width=48"));
        ModelOptions options = ModelOptions.parse(SafeTensors.read(good).metadata().get(LmCheckpoint.MODEL_ARGS));
        TransformerModel model = options.build(Architecture.MAHA, 73, 32, 0);
        Path file = dir.resolve("shapes.safetensors");
        RunCheckpoint.save(file, model, null, meta);
        assertRefused(file, "does not match the model");
    }

    private static void assertRefused(Path checkpoint, String reason) throws Exception {
        Path out = dir.resolve("out-" + checkpoint.getFileName());
        Files.createDirectories(out);
        Files.copy(good, out.resolve("checkpoint.safetensors"));
        Files.write(out.resolve("loss.png"), new byte[] {1, 2, 3});
        for (String[] args : new String[][] {
            {"train-lm", "--resume", checkpoint.toString(), "--out", out.toString()},
            {"sample", "--checkpoint", checkpoint.toString()},
            {"eval", "--checkpoint", checkpoint.toString(), "--windows", "2"}}) {
            Cli.Run run = Cli.execute(args);
            assertEquals(1, run.exitCode(), args[0] + ": " + run.err());
            assertTrue(run.err().contains(checkpoint.toString()) && run.err().contains(reason),
                    args[0] + " should name the file and say '" + reason + "': " + run.err());
        }
        assertArrayEquals(goodBytes, Files.readAllBytes(out.resolve("checkpoint.safetensors")), "checkpoint untouched");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve("loss.png")), "plot untouched");
        try (var files = Files.list(out)) {
            assertEquals(2, files.count(), "no new files in the output folder");
        }
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name + ".safetensors");
        Files.write(p, bytes);
        return p;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        long headerLength = ByteBuffer.wrap(haystack, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = 8; i < 8 + headerLength; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("not in the header");
    }
}
