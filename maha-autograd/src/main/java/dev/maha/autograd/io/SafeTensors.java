package dev.maha.autograd.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * (name → dtype, shape, data offsets; plus string {@code __metadata__}), then the raw row-major
 * little-endian data.
 *
 * <p>Reading validates the whole header (dtypes, shapes, offsets within the file, no gaps or
 * overlaps) before any tensor data is trusted, and fails with a message naming the file and the
 * tensor. Writing goes to a temporary file that is atomically renamed over the target, so a crash
 * never leaves a half-written file. Supported: F64, F32, F16, BF16, I64, I32, I8, U8, BOOL.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** The content of a file: tensors in header order, and the metadata strings. */
    public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {
        /** The tensor called {@code name}, or an error listing the file's names. */
        public INDArray get(String name) {
            INDArray a = tensors.get(name);
            if (a == null) throw new IllegalArgumentException("safetensors: no tensor named '" + name + "'");
            return a;
        }
    }

    private SafeTensors() {
    }

    /** Reads every tensor and the metadata of a file. */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 8) throw corrupt(file, "file has " + size + " bytes, less than the 8-byte header length");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw corrupt(file, "header length " + headerLen + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            String header = new String(headerBuf.array(), StandardCharsets.UTF_8);
            JsonNode root;
            try {
                root = JSON.readTree(header);
            } catch (JsonProcessingException e) {
                throw corrupt(file, "header is not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) throw corrupt(file, "header is not a JSON object");
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) throw corrupt(file, "__metadata__ is not an object");
                    f.getValue().fields().forEachRemaining(m -> {
                        if (!m.getValue().isTextual()) {
                            throw new IllegalArgumentException(corrupt(file, "metadata '" + m.getKey() + "' is not a string").getMessage());
                        }
                        metadata.put(m.getKey(), m.getValue().asText());
                    });
                    continue;
                }
                entries.add(parseEntry(file, f.getKey(), f.getValue(), dataLen));
            }
            checkLayout(file, entries, dataLen);
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer bytes = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, bytes, dataStart + e.begin);
                tensors.put(e.name, decode(e, bytes));
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        }
    }

    /**
     * Writes tensors (in the map's order) and metadata to {@code file} atomically: the data goes to a
     * temporary file in the same folder, which then replaces the target in one rename.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        List<byte[]> blobs = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is reserved");
            INDArray a = e.getValue();
            String dtype = dtypeName(e.getKey(), a.dataType());
            byte[] blob = encode(a);
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype);
            var shape = t.putArray("shape");
            for (long d : a.shape()) shape.add(d);
            var offs = t.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + blob.length);
            offset += blob.length;
            blobs.add(blob);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.position() < head.capacity()) head.put((byte) ' ');
        head.flip();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (byte[] b : blobs) writeFully(ch, ByteBuffer.wrap(b));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private static Entry parseEntry(Path file, String name, JsonNode n, long dataLen) throws IOException {
        if (!n.isObject() || !n.path("dtype").isTextual() || !n.path("shape").isArray() || !n.path("data_offsets").isArray()) {
            throw corrupt(file, "tensor '" + name + "' needs dtype (string), shape (array) and data_offsets (array)");
        }
        String dtype = n.get("dtype").asText();
        int width = width(dtype);
        if (width < 0) throw corrupt(file, "tensor '" + name + "' has unsupported dtype " + dtype);
        JsonNode s = n.get("shape");
        long[] shape = new long[s.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).canConvertToLong() || s.get(i).asLong() < 0) {
                throw corrupt(file, "tensor '" + name + "' has an invalid shape " + s);
            }
            shape[i] = s.get(i).asLong();
            count = Math.multiplyExact(count, shape[i]);
        }
        JsonNode o = n.get("data_offsets");
        if (o.size() != 2 || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()) {
            throw corrupt(file, "tensor '" + name + "' data_offsets must be two integers, got " + o);
        }
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw corrupt(file, "tensor '" + name + "' data_offsets [" + begin + ", " + end + "] fall outside the "
                    + dataLen + " data bytes (truncated file?)");
        }
        if (end - begin != count * width) {
            throw corrupt(file, "tensor '" + name + "' shape " + s + " of " + dtype + " needs " + count * width
                    + " bytes, but data_offsets span " + (end - begin));
        }
        if (end - begin > Integer.MAX_VALUE) throw corrupt(file, "tensor '" + name + "' is larger than 2 GiB");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void checkLayout(Path file, List<Entry> entries, long dataLen) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((x, y) -> Long.compare(x.begin, y.begin));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.begin != expected) {
                throw corrupt(file, "tensor '" + e.name + "' starts at byte " + e.begin + " but the previous data ends at "
                        + expected + " (gap or overlap)");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw corrupt(file, "tensor data ends at byte " + expected + " but the file holds " + dataLen + " data bytes");
        }
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    private static String dtypeName(String name, DataType t) {
        return switch (t) {
            case DOUBLE -> "F64";
            case FLOAT -> "F32";
            case HALF -> "F16";
            case BFLOAT16 -> "BF16";
            case LONG -> "I64";
            case INT -> "I32";
            case BYTE -> "I8";
            case UBYTE -> "U8";
            case BOOL -> "BOOL";
            default -> throw new IllegalArgumentException("safetensors: tensor '" + name + "' has unsupported data type " + t);
        };
    }

    private static INDArray decode(Entry e, ByteBuffer b) {
        b.rewind();
        int n = (int) Shapes_length(e.shape);
        INDArray out;
        switch (e.dtype) {
            case "F64" -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                out = Nd4j.create(v, e.shape, DataType.DOUBLE);
            }
            case "F32" -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                out = Nd4j.create(v, e.shape, DataType.FLOAT);
            }
            case "F16", "BF16" -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = b.getShort() & 0xffff;
                    v[i] = e.dtype.equals("BF16") ? Float.intBitsToFloat(bits << 16) : halfToFloat(bits);
                }
                out = Nd4j.create(v, e.shape, DataType.FLOAT);
            }
            case "I64" -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                out = Nd4j.create(v, e.shape, DataType.LONG);
            }
            case "I32" -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                out = Nd4j.create(v, e.shape, DataType.INT);
            }
            default -> {
                byte[] v = new byte[n];
                b.get(v);
                DataType t = e.dtype.equals("BOOL") ? DataType.BOOL : e.dtype.equals("U8") ? DataType.UBYTE : DataType.BYTE;
                out = Nd4j.create(Nd4j.createBuffer(ByteBuffer.wrap(v), t, n), e.shape, Nd4j.getStrides(e.shape, 'c'), 0, 'c', t);
            }
        }
        return out;
    }

    private static byte[] encode(INDArray a) {
        INDArray c = dev.maha.autograd.Memory.rowMajor(a);
        int n = (int) a.length();
        ByteBuffer b;
        switch (a.dataType()) {
            case DOUBLE -> {
                b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(c.data().asDouble(), 0, n);
            }
            case FLOAT -> {
                b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(c.data().asFloat(), 0, n);
            }
            case LONG -> {
                b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(c.data().asLong(), 0, n);
            }
            case INT -> {
                b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asIntBuffer().put(c.data().asInt(), 0, n);
            }
            case HALF, BFLOAT16 -> {
                b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
                float[] f = c.castTo(DataType.FLOAT).data().asFloat();
                for (int i = 0; i < n; i++) {
                    b.putShort(a.dataType() == DataType.HALF ? floatToHalf(f[i]) : (short) (Float.floatToIntBits(f[i]) >>> 16));
                }
            }
            default -> {
                b = ByteBuffer.allocate(n);
                b.put(c.data().asBytes(), 0, n);
            }
        }
        return b.array();
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float to IEEE 754 binary16, rounding to nearest even. */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) return (short) (sign | 0x7e00);
        float abs = Math.abs(f);
        if (abs >= 65520f) return (short) (sign | 0x7c00);
        if (abs < 0x1p-14f) return (short) (sign | Math.round(abs * 0x1p24f));
        int e = (bits >>> 23) & 0xff;
        int m = bits & 0x7fffff;
        int half = ((e - 112) << 10) | (m >>> 13);
        int rest = m & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) half++;
        return (short) (sign | half);
    }

    private static long Shapes_length(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new IOException("safetensors: unexpected end of file at byte " + pos);
            pos += r;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException("safetensors: " + file + ": " + why);
    }
}
