package dev.maha.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Where and how a report was taken: what a reader needs to judge its timings.
 *
 * @param date        ISO date and time of the start
 * @param mode        {@code quick} or {@code full}
 * @param cpu         the CPU model from {@code /proc/cpuinfo}
 * @param cores       processors available to the JVM
 * @param jvm         the JVM's vendor and version
 * @param threads     BLAS/OpenMP threads (OMP_NUM_THREADS, else ND4J's default: the cores)
 * @param ompWaitPolicy the OpenMP wait policy the measuring JVMs ran with
 * @param warmup      warm-up steps per point
 * @param repeats     timed runs per kind per point (at least)
 * @param minSeconds  seconds that warm-up and each timed kind last at least (more runs at small n)
 * @param command     the command line of the report
 * @param wallSeconds the report's wall time, JVM starts included
 */
public record Meta(String date, String mode, String cpu, int cores, String jvm, int threads, String ompWaitPolicy,
                   int warmup, int repeats, double minSeconds, String command, double wallSeconds) {

    /** The machine's description now, with the wall time still 0. */
    static Meta now(String mode, int warmup, int repeats, double minSeconds, String command, String ompWaitPolicy) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).map(Integer::parseInt).orElse(cores);
        return new Meta(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), mode, cpuModel(), cores,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), threads, ompWaitPolicy,
                warmup, repeats, minSeconds, command, 0);
    }

    /** This record with the wall time set. */
    Meta withWallSeconds(double seconds) {
        return new Meta(date, mode, cpu, cores, jvm, threads, ompWaitPolicy, warmup, repeats, minSeconds, command, seconds);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
