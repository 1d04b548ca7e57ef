package dev.maha.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeEnvironmentTest {
    @Test
    void recommendsPassiveOpenMpAndBufferReuse() {
        Map<String, String> env = NativeEnvironment.recommended();
        assertEquals(List.of("OMP_WAIT_POLICY", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"), List.copyOf(env.keySet()));
        assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"));
        assertEquals(32L << 20, Long.parseLong(env.get("MALLOC_MMAP_THRESHOLD_")), "glibc's largest mmap threshold");
    }

    @Test
    void addMissingKeepsTheUsersValues() {
        Map<String, String> env = new HashMap<>(Map.of("OMP_WAIT_POLICY", "ACTIVE", "PATH", "/bin"));
        NativeEnvironment.addMissing(env);
        assertEquals("ACTIVE", env.get("OMP_WAIT_POLICY"));
        assertEquals("33554432", env.get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("/bin", env.get("PATH"));
        assertEquals(4, env.size());
    }
}
