package dev.maha.core.nn;

import dev.maha.autograd.Memory;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saving and loading a module's parameters as a safetensors file (the format of Hugging Face and
 * of the project's fixtures), by dotted name.
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("model.safetensors"), model, Map.of("step", "1200"));
 * Map<String, String> meta = Checkpoint.load(Path.of("model.safetensors"), model);
 * }</pre>
 *
 * <p>Saving writes {@link Module#stateDict()} (F32 or F64, as the parameters are) atomically: a
 * temporary file renamed over the target, so a crash never leaves a half-written checkpoint.
 * Loading reads the whole file first ({@link SafeTensors#read} validates the header's dtypes, shapes
 * and offsets before trusting any data), accepts F32, F64, BF16, F16 and I64 tensors (converted to
 * each parameter's type), then loads them with the strict, all-or-nothing
 * {@link Module#loadStateDict}: a truncated or corrupted file, or one with missing, extra or
 * mis-shaped tensors, is rejected and the model is left untouched.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /**
     * Writes the module's parameters and {@code metadata} (may be null) to {@code file}, atomically.
     *
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Module module, Map<String, String> metadata) throws IOException {
        if (file == null || module == null) throw new IllegalArgumentException("Checkpoint.save: file and module must not be null");
        SafeTensors.write(file, module.stateDict(), metadata == null ? Map.of() : metadata);
    }

    /**
     * Loads the parameters saved in {@code file} into {@code module} (all or nothing) and returns the
     * file's metadata.
     *
     * @throws IOException              if the file cannot be read, or is truncated or corrupted (the
     *                                  message names the file and the tensor)
     * @throws IllegalArgumentException if its tensors do not match the module's parameters (the
     *                                  message names every missing, extra or mis-shaped tensor)
     */
    public static Map<String, String> load(Path file, Module module) throws IOException {
        if (file == null || module == null) throw new IllegalArgumentException("Checkpoint.load: file and module must not be null");
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, Tensor> params = module.namedParameters();
        Map<String, INDArray> state = new LinkedHashMap<>();
        Map<String, INDArray> converted = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, INDArray> e : contents.tensors().entrySet()) {
                INDArray v = e.getValue();
                Tensor p = params.get(e.getKey());
                if (p != null && v.dataType() == DataType.LONG) {
                    INDArray c = v.castTo(p.dtype());
                    converted.put(e.getKey(), c);
                    v = c;
                }
                state.put(e.getKey(), v);
            }
            try {
                module.loadStateDict(state);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("Checkpoint.load: " + file + ": " + ex.getMessage(), ex);
            }
        } finally {
            for (INDArray c : converted.values()) Memory.release(c);
            for (INDArray v : contents.tensors().values()) Memory.release(v);
        }
        return contents.metadata();
    }
}
