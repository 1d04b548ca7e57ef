package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Close;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Safetensors checkpoints: exact round trips, conversions, and rejection without touching the model. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed, DataType dtype) {
        return new Sequential(new Linear(4, 6, true, seed, dtype), new Gelu(), new LayerNorm(6, 1e-5, dtype),
                new Conv1d(6, 6, 3, 1, 2, 0, 1, 6, true, seed + 1, dtype), new Linear(6, 2, false, seed + 2, dtype));
    }

    @Test
    void roundTripIsBitIdenticalInFloat32() throws IOException {
        roundTrip(DataType.FLOAT);
    }

    @Test
    void roundTripIsBitIdenticalInFloat64() throws IOException {
        roundTrip(DataType.DOUBLE);
    }

    private void roundTrip(DataType dtype) throws IOException {
        Sequential saved = model(1, dtype);
        saved.namedParameters().get("2.weight").update(v -> v.assign(Nd4j.rand(dtype, 6)));
        Path file = dir.resolve("model.safetensors");
        Checkpoint.save(file, saved, Map.of("step", "1200", "note", "hello"));
        Sequential loaded = model(99, dtype);
        Map<String, String> meta = Checkpoint.load(file, loaded);
        assertEquals(Map.of("step", "1200", "note", "hello"), meta);
        assertEquals(List.copyOf(saved.stateDict().keySet()), List.copyOf(loaded.stateDict().keySet()));
        for (Map.Entry<String, INDArray> e : saved.stateDict().entrySet()) {
            INDArray got = loaded.stateDict().get(e.getKey());
            assertEquals(dtype, got.dataType(), e.getKey());
            Close.assertAbsClose(e.getKey(), e.getValue(), got, 0.0);
        }
        assertEquals(dtype == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE, SafeTensors.read(file).get("0.weight").dataType());
    }

    @Test
    void savingLeavesOnlyTheTargetFileBehind() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, model(1, DataType.FLOAT), null);
        Checkpoint.save(file, model(2, DataType.FLOAT), null);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        Sequential m = model(3, DataType.FLOAT);
        assertEquals(Map.of(), Checkpoint.load(file, m));
        Close.assertAbsClose("latest save wins", model(2, DataType.FLOAT).stateDict().get("0.weight"), m.stateDict().get("0.weight"), 0);
    }

    @Test
    void aTruncatedFileIsRejectedAndTheModelIsUntouched() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Checkpoint.save(file, model(1, DataType.DOUBLE), null);
        long size = Files.size(file);
        for (long keep : new long[] {size - 8, size / 2, 12, 5}) {
            Path cut = dir.resolve("cut" + keep + ".safetensors");
            try (RandomAccessFile raf = new RandomAccessFile(Files.copy(file, cut).toFile(), "rw")) {
                raf.setLength(keep);
            }
            Sequential m = model(7, DataType.DOUBLE);
            Map<String, INDArray> before = snapshot(m);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(cut, m));
            assertTrue(e.getMessage().contains("safetensors") && e.getMessage().contains(cut.getFileName().toString()), e.getMessage());
            assertUnchanged(before, m);
        }
    }

    @Test
    void aCorruptedHeaderIsRejectedAndTheModelIsUntouched() throws IOException {
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, model(1, DataType.FLOAT), null);
        byte[] bytes = Files.readAllBytes(file);
        // Change a shape in the header so that it no longer matches its data offsets.
        String header = new String(bytes, 8, 200, StandardCharsets.UTF_8);
        int at = header.indexOf("[6,4]");
        assertTrue(at > 0, header);
        bytes[8 + at + 1] = '7';
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, bytes);
        Sequential m = model(7, DataType.FLOAT);
        Map<String, INDArray> before = snapshot(m);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(bad, m));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
        assertUnchanged(before, m);

        bytes[8 + 2] = '{';                                      // no longer JSON
        Files.write(bad, bytes);
        assertThrows(IOException.class, () -> Checkpoint.load(bad, m));
        assertUnchanged(before, m);
    }

    @Test
    void missingExtraAndMisShapedTensorsAreNamedAndTheModelIsUntouched() throws IOException {
        Path file = dir.resolve("other.safetensors");
        Map<String, INDArray> state = new LinkedHashMap<>(model(1, DataType.FLOAT).stateDict());
        state.remove("3.bias");
        state.put("5.weight", Nd4j.zeros(DataType.FLOAT, 2, 2));
        state.put("4.weight", Nd4j.zeros(DataType.FLOAT, 3, 6));
        SafeTensors.write(file, state, Map.of());
        Sequential m = model(7, DataType.FLOAT);
        Map<String, INDArray> before = snapshot(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, m));
        String msg = e.getMessage();
        assertTrue(msg.contains(file.toString()), msg);
        assertTrue(msg.contains("missing '3.bias' [6]"), msg);
        assertTrue(msg.contains("unexpected '5.weight' [2, 2]"), msg);
        assertTrue(msg.contains("'4.weight' has shape [3, 6], expected [2, 6]"), msg);
        assertUnchanged(before, m);
    }

    @Test
    void halfBfloatAndInt64TensorsAreConvertedToTheParameterType() throws IOException {
        Linear layer = new Linear(2, 3, true, 1, DataType.DOUBLE);
        INDArray w = Nd4j.create(new double[][] {{0.5, -1.25}, {2, 0.125}, {-3, 1}});
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("weight", w.castTo(DataType.HALF));
        state.put("bias", Nd4j.create(new long[] {1, -2, 3}, new long[] {3}, DataType.LONG));
        Path file = dir.resolve("mixed.safetensors");
        SafeTensors.write(file, state, Map.of());
        Checkpoint.load(file, layer);
        assertEquals(DataType.DOUBLE, layer.weight().dtype());
        Close.assertAbsClose("weight", w, layer.weight().value(), 0);
        Close.assertAbsClose("bias", Nd4j.create(new double[] {1, -2, 3}), layer.bias().value(), 0);

        state.put("weight", w.castTo(DataType.BFLOAT16));
        SafeTensors.write(file, state, Map.of());
        Linear f32 = new Linear(2, 3, true, 1);
        Checkpoint.load(file, f32);
        assertEquals(DataType.FLOAT, f32.weight().dtype());
        Close.assertAbsClose("weight", w, f32.weight().value(), 0);
    }

    @Test
    void aFloat32CheckpointLoadsIntoAFloat64Model() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        Sequential f32 = model(1, DataType.FLOAT);
        Checkpoint.save(file, f32, null);
        Sequential f64 = model(2, DataType.DOUBLE);
        Checkpoint.load(file, f64);
        for (Map.Entry<String, INDArray> e : f32.stateDict().entrySet()) {
            assertEquals(DataType.DOUBLE, f64.stateDict().get(e.getKey()).dataType());
            Close.assertAbsClose(e.getKey(), e.getValue(), f64.stateDict().get(e.getKey()), 0);
        }
    }

    @Test
    void integerTensorsOtherThanInt64AreRejectedByName() throws IOException {
        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("weight", Nd4j.zeros(DataType.INT, 3, 2));
        state.put("bias", Nd4j.zeros(DataType.FLOAT, 3));
        Path file = dir.resolve("int.safetensors");
        SafeTensors.write(file, state, Map.of());
        Linear layer = new Linear(2, 3, true, 1);
        Map<String, INDArray> before = snapshot(layer);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, layer));
        assertTrue(e.getMessage().contains("'weight' has data type INT"), e.getMessage());
        assertUnchanged(before, layer);
        assertArrayEquals(new long[] {3, 2}, layer.weight().shape());
    }

    private static Map<String, INDArray> snapshot(Module m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static void assertUnchanged(Map<String, INDArray> before, Module m) {
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            Close.assertAbsClose("untouched " + e.getKey(), e.getValue(), m.stateDict().get(e.getKey()), 0);
        }
    }
}
