package dev.maha.bench;

import dev.maha.autograd.NativeEnvironment;

/**
 * Entry point of {@code benchmarks.jar}: runs JMH in the environment of {@link NativeEnvironment}
 * ({@code OMP_WAIT_POLICY=PASSIVE}, glibc keeping freed buffers for reuse). The variables are read when
 * the process starts, so when one is missing this launcher starts a child JVM with them set (JMH's forks
 * inherit them) and exits with the child's status. See docs/performance.md for what each one changes.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int status = NativeEnvironment.relaunchIfNeeded(BenchMain.class, args);
        if (status >= 0) System.exit(status);
        org.openjdk.jmh.Main.main(args);
    }
}
