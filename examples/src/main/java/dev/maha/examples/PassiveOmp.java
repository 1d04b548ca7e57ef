package dev.maha.examples;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure ND4J runs with {@code OMP_WAIT_POLICY=PASSIVE}. On 2 cores, libgomp's spinning OpenMP
 * threads fight OpenBLAS's own threads; passive waiting made training steps 1.4-3.6x faster (see
 * docs/performance.md). The variable is read when the native library loads, so it must be in the
 * environment before the JVM starts: when it is missing, {@link #relaunchIfNeeded} starts a child JVM
 * with it set (same class path, JVM options and arguments) and returns its exit status.
 */
final class PassiveOmp {
    private PassiveOmp() {
    }

    /**
     * @return the child's exit status when a child was started, or -1 when this JVM already has the
     *         variable and should run the command itself
     */
    static int relaunchIfNeeded(Class<?> main, String[] args) throws Exception {
        if (System.getenv("OMP_WAIT_POLICY") != null) return -1;
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start().waitFor();
    }
}
