package dev.maha.examples;

import dev.maha.autograd.Memory;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.core.nn.Dropout;
import dev.maha.core.nn.Module;
import dev.maha.optim.Optimizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training checkpoint in one safetensors file: the model's parameters under {@code model.<name>},
 * the optimizer's state under {@code optimizer.<key>}, and string metadata (the run's configuration,
 * step, history, the dropout streams' positions under {@code dropout.<module>}).
 *
 * <p>The metadata carry a SHA-256 of every tensor's bytes and every other metadata entry, so a flipped
 * byte anywhere is refused, not only in the header that {@link SafeTensors#read} validates. The file is
 * written atomically ({@link SafeTensors#write}). Loading checks the whole file before it touches the
 * model or the optimizer, and each of their loads is all-or-nothing; callers load into freshly built
 * objects, so a refused checkpoint changes nothing.
 */
public final class RunCheckpoint {
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final String DROPOUT = "dropout.";
    private static final String CHECKSUM = "sha256";

    private RunCheckpoint() {
    }

    /** Writes the model, the optimizer (may be null) and {@code metadata} to {@code file}, atomically. */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put(MODEL + k, v));
        Map<String, INDArray> optState = optimizer == null ? Map.of() : optimizer.stateDict();
        try {
            optState.forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
            Map<String, String> meta = new TreeMap<>(metadata);
            model.namedModules().forEach((name, m) -> {
                if (m instanceof Dropout d) meta.put(DROPOUT + name, Long.toString(d.masksDrawn()));
            });
            meta.put(CHECKSUM, checksum(tensors, meta));
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            SafeTensors.write(file, tensors, meta);
        } finally {
            optState.values().forEach(Memory::release);
        }
    }

    /**
     * Reads {@code file} and verifies its checksum; the tensors must be released with {@link Contents#close()}.
     *
     * @throws IOException naming the file if it is missing, truncated, corrupted or not a training checkpoint
     */
    public static Contents read(Path file) throws IOException {
        SafeTensors.Contents raw;
        try {
            raw = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException("checkpoint " + file + " does not exist", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException("checkpoint " + file + " is corrupted or not a safetensors file: " + e.getMessage(), e);
        }
        Contents c = new Contents(file, raw);
        String stored = raw.metadata().get(CHECKSUM);
        Map<String, String> rest = new TreeMap<>(raw.metadata());
        rest.remove(CHECKSUM);
        if (stored == null || !stored.equals(checksum(raw.tensors(), rest))) {
            c.close();
            throw new IOException("checkpoint " + file + " is corrupted: " + (stored == null
                    ? "it has no '" + CHECKSUM + "' entry (not written by these examples)"
                    : "its SHA-256 does not match its content"));
        }
        return c;
    }

    /** A verified checkpoint's tensors and metadata. */
    public static final class Contents implements AutoCloseable {
        private final Path file;
        private final SafeTensors.Contents raw;

        private Contents(Path file, SafeTensors.Contents raw) {
            this.file = file;
            this.raw = raw;
        }

        /** The metadata (the checksum included). */
        public Map<String, String> metadata() {
            return raw.metadata();
        }

        /** The metadata entry {@code key}, or an error naming the file. */
        public String require(String key) throws IOException {
            String v = raw.metadata().get(key);
            if (v == null) throw new IOException("checkpoint " + file + " has no '" + key + "' entry");
            return v;
        }

        /**
         * Loads the parameters into {@code model} (all or nothing) and puts its dropout streams where the
         * saved run left them.
         */
        public void loadModel(Module model) throws IOException {
            Map<String, INDArray> state = part(MODEL);
            try {
                model.loadStateDict(state);
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + " does not match the model: " + e.getMessage(), e);
            }
            for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
                if (m.getValue() instanceof Dropout d) {
                    String drawn = raw.metadata().get(DROPOUT + m.getKey());
                    d.resumeMasks(drawn == null ? 0 : Long.parseLong(drawn));
                }
            }
        }

        /** Loads the optimizer's state (all or nothing). */
        public void loadOptimizer(Optimizer optimizer) throws IOException {
            try {
                optimizer.loadStateDict(part(OPTIMIZER));
            } catch (IllegalArgumentException e) {
                throw new IOException("checkpoint " + file + " does not match the optimizer: " + e.getMessage(), e);
            }
        }

        private Map<String, INDArray> part(String prefix) {
            Map<String, INDArray> out = new LinkedHashMap<>();
            raw.tensors().forEach((k, v) -> {
                if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
            });
            return out;
        }

        @Override
        public void close() {
            raw.tensors().values().forEach(Memory::release);
        }
    }

    private static String checksum(Map<String, INDArray> tensors, Map<String, String> metadata) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, INDArray> e : new TreeMap<>(tensors).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                INDArray dense = e.getValue().dup('c');
                try {
                    md.update(e.getValue().dataType().name().getBytes(StandardCharsets.UTF_8));
                    md.update(shapeBytes(dense.shape()));
                    md.update(dense.data().asBytes());
                } finally {
                    Memory.release(dense);
                }
            }
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] shapeBytes(long[] shape) {
        ByteBuffer b = ByteBuffer.allocate(8 * shape.length);
        for (long d : shape) b.putLong(d);
        return b.array();
    }
}
