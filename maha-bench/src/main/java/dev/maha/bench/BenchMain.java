package dev.maha.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code benchmarks.jar}: runs JMH with {@code OMP_WAIT_POLICY=PASSIVE}.
 *
 * <p>On 2 cores, libgomp's spinning OpenMP threads fight OpenBLAS's own threads; passive waiting made
 * dense attention forward+backward 3.6x faster at n = 512 and 2.6x at n = 1024 (see
 * docs/performance.md). The variable is read when the native library loads, so it must be in the
 * environment before the JVM starts: when it is missing, this launcher starts a child JVM with it set
 * (JMH's forks inherit it) and exits with the child's status.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(BenchMain.class.getName());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            System.exit(pb.start().waitFor());
        }
        org.openjdk.jmh.Main.main(args);
    }
}
