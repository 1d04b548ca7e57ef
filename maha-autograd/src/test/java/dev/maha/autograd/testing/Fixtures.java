package dev.maha.autograd.testing;

import dev.maha.autograd.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PyTorch golden files of {@code ../shared/fixtures/}, read with the library's own safetensors
 * reader. The folder comes from the system property {@code maha.fixtures} (set by the build), or is
 * searched upward from the working directory.
 */
public final class Fixtures {
    private static final Map<String, SafeTensors.Contents> CACHE = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** {@code ops.safetensors}. */
    public static SafeTensors.Contents ops() {
        return load("ops.safetensors");
    }

    /** {@code reference-block.safetensors}. */
    public static SafeTensors.Contents referenceBlock() {
        return load("reference-block.safetensors");
    }

    /** A fixture file by name. */
    public static SafeTensors.Contents load(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                return SafeTensors.read(folder().resolve(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The fixtures folder. */
    public static Path folder() {
        String prop = System.getProperty("maha.fixtures");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures");
            if (Files.isDirectory(candidate)) return candidate;
            candidate = dir.resolveSibling("shared/fixtures");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("fixtures folder not found: set -Dmaha.fixtures or keep ../shared/fixtures beside the project");
    }
}
