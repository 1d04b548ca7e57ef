package dev.maha.autograd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.testing.Close;
import dev.maha.autograd.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The safetensors reader and writer: round trips, the fixtures, and corrupt files. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFixtureHeaderAndData() throws IOException {
        SafeTensors.Contents ops = Fixtures.ops();
        assertArrayEquals(new long[] {3, 1, 5}, ops.get("add.in0").shape());
        assertEquals(DataType.DOUBLE, ops.get("add.in0").dataType());
        assertEquals(DataType.LONG, ops.get("embedding.in1").dataType());
        assertEquals(0, ops.get("cross_entropy.out").rank());
        assertTrue(ops.metadata().get("ops").contains("sdpa_causal"));
        // add.out = in0 + in1 exactly in float64
        Close.assertClose("add", ops.get("add.out"), ops.get("add.in0").add(ops.get("add.in1")), 1e-15);
    }

    @Test
    void roundTripsEveryDataType() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("f64", Nd4j.rand(DataType.DOUBLE, 2, 3));
        t.put("f32", Nd4j.rand(DataType.FLOAT, 4));
        t.put("i64", Nd4j.createFromArray(new long[] {1, -2, 3}));
        t.put("i32", Nd4j.createFromArray(new int[] {7, 8}));
        t.put("scalar", Nd4j.scalar(2.5));
        t.put("half", Nd4j.createFromArray(1.0f, -2.5f, 0.000061035156f, 65504f).castTo(DataType.HALF));
        Path f = dir.resolve("t.safetensors");
        SafeTensors.write(f, t, Map.of("note", "hello"));
        SafeTensors.Contents back = SafeTensors.read(f);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals("hello", back.metadata().get("note"));
        for (String k : t.keySet()) {
            Close.assertClose(k, t.get(k).castTo(DataType.DOUBLE), back.get(k).castTo(DataType.DOUBLE), 0);
        }
        assertEquals(0, (8 + headerLength(f)) % 8, "header padded to a multiple of 8");
    }

    @Test
    void truncatedFileIsRejectedNamingTheTensor() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafeTensors.write(f, Map.of("weight", Nd4j.rand(DataType.FLOAT, 8, 8)), Map.of());
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(cut));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }

    @Test
    void headerWithWrongByteCountIsRejected() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        writeRaw(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void garbageHeaderIsRejected() throws IOException {
        Path f = dir.resolve("garbage.safetensors");
        writeRaw(f, "{not json", new byte[0]);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> SafeTensors.read(f));
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path f = dir.resolve("overlap.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void writingLeavesNoTemporaryFilesBehind() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, Map.of("a", Nd4j.rand(DataType.FLOAT, 3)), Map.of());
        SafeTensors.write(f, Map.of("a", Nd4j.rand(DataType.FLOAT, 5)), Map.of());
        try (var list = Files.list(dir)) {
            assertEquals(List.of(f), list.toList());
        }
        assertFalse(SafeTensors.read(f).tensors().isEmpty());
        assertEquals(5, SafeTensors.read(f).get("a").length());
    }

    private static long headerLength(Path f) throws IOException {
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 8);
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void writeRaw(Path f, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(f, b.array());
    }
}
