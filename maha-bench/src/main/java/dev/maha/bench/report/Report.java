package dev.maha.bench.report;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The FLOPs and latency report: measures every point of the quick or the full sweep ({@link Sweep}), each in
 * fresh JVMs ({@link PointProbe}: one for FLOPs and latency, one for peak memory), and writes
 * {@code report.json}, {@code report.md} and PNG charts into the output directory:
 *
 * <pre>{@code
 * java -cp maha-bench/target/benchmarks.jar dev.maha.bench.report.Report --quick --out report/
 * }</pre>
 *
 * The measuring JVMs run with {@code OMP_WAIT_POLICY=PASSIVE} unless the variable is set. Points whose
 * full-length score matrices would not fit in {@code --memory-limit} are skipped and listed as such.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the attention layers (latency, FLOPs, peak memory) and writes report.json, report.md and charts.")
public final class Report implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    /** Quick or full. */
    static final class Mode {
        @Option(names = "--quick", required = true, description = "the quick subset (d = 256, n in {256, 1024, 4096}; under 10 minutes)")
        boolean quick;
        @Option(names = "--full", required = true, description = "the full sweep of the issue")
        boolean full;
        @Option(names = "--from", required = true,
                description = "measure nothing: rewrite the outputs from an earlier report.json (to merge --torch later)")
        Path from;
    }

    @Option(names = "--out", defaultValue = "report", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--torch", description = "PyTorch timings from maha-bench/python/torch_baseline.py, merged as an extra column")
    Path torch;
    @Option(names = "--warmup", description = "warm-up steps per point (default: 20 quick, 25 full; MAHA's Java kernels need about a dozen steps to be JIT-compiled)")
    Integer warmup;
    @Option(names = "--repeats", description = "timed runs of each kind per point (default: 5 quick, 7 full)")
    Integer repeats;
    @Option(names = "--min-seconds", description = "each timed kind runs at least this long, more runs at small n (default: 2 quick, 3 full)")
    Double minSeconds;
    @Option(names = "--n", split = ",", description = "only these lengths")
    List<Integer> onlyN;
    @Option(names = "--layer", split = ",", description = "only these layers (the baseline is needed for the summary)")
    List<String> onlyLayers;
    @Option(names = "--memory-limit-gb", description = "skip points whose score matrices need more (default: half the machine's memory)")
    Double memoryLimitGb;
    @Option(names = "--timeout", defaultValue = "1800", description = "seconds allowed per measuring JVM (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;
    @Option(names = "--child-heap", defaultValue = "4g", description = "-Xmx of the measuring JVMs (default: ${DEFAULT-VALUE})")
    String childHeap;

    private String[] args = new String[0];

    public static void main(String[] args) {
        Report report = new Report();
        report.args = args.clone();
        System.exit(new CommandLine(report).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (mode.from != null) return rewrite(mode.from);
        long start = System.nanoTime();
        boolean quick = mode.quick;
        int warm = warmup != null ? warmup : quick ? 20 : 25;
        int reps = repeats != null ? repeats : quick ? 5 : 7;
        double minSec = minSeconds != null ? minSeconds : quick ? 2 : 3;
        if (!(minSec >= 0)) throw new CommandLine.ParameterException(new CommandLine(this), "--min-seconds must be >= 0, got " + minSec);
        if (warm < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--warmup must be >= 1, got " + warm);
        if (reps < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--repeats must be >= 1, got " + reps);
        if (timeoutSeconds < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--timeout must be >= 1, got " + timeoutSeconds);
        TorchResults torchResults = torch == null ? null : TorchResults.read(torch);
        long memoryLimit = memoryLimitBytes();
        List<PointSpec> points = select(quick ? Sweep.quick() : Sweep.full());
        String omp = System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE");
        Meta meta = Meta.now(quick ? "quick" : "full", warm, reps, minSec,
                "java -cp maha-bench/target/benchmarks.jar " + Report.class.getName() + " " + String.join(" ", args), omp);

        List<PointResult> results = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(quick ? "quick report" : "full report")
                .setInitialMax(points.size()).setStyle(ProgressBarStyle.ASCII).build()) {
            for (PointSpec p : points) {
                bar.setExtraMessage(p.label());
                results.add(measure(p, warm, reps, minSec, memoryLimit, omp));
                bar.step();
            }
        }
        write(meta.withWallSeconds((System.nanoTime() - start) / 1e9), results, torchResults);
        return results.stream().anyMatch(r -> r.status().equals("failed")) ? 1 : 0;
    }

    /** Rewrites the outputs from an earlier {@code report.json}, merging {@code --torch} when given. */
    private int rewrite(Path earlier) throws IOException {
        if (!Files.isRegularFile(earlier)) throw new CommandLine.ParameterException(new CommandLine(this), "--from: no such file " + earlier);
        ReportFile file = Json.MAPPER.readValue(earlier.toFile(), ReportFile.class);
        if (file.meta() == null || file.records() == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--from: " + earlier + " has no \"meta\" or \"records\"");
        }
        write(file.meta(), file.records(), torch == null ? null : TorchResults.read(torch));
        return 0;
    }

    /** Summary, paper table, charts, {@code report.json} and {@code report.md}, each file written atomically. */
    private void write(Meta meta, List<PointResult> measured, TorchResults torchResults) throws IOException {
        List<PointResult> results = torchResults == null ? measured : torchResults.mergeInto(measured);
        List<Summary> summary = Summary.of(results);
        List<PaperTable> paper = PaperTable.of(results);
        Files.createDirectories(out);
        List<String> charts = Charts.write(results, out.resolve("charts"));
        AtomicFiles.write(out.resolve("report.json"),
                Json.MAPPER.writeValueAsBytes(new ReportFile(meta, results, summary, paper, torchResults == null ? null : torchResults.meta())));
        AtomicFiles.write(out.resolve("report.md"),
                MarkdownReport.render(meta, results, summary, paper, charts).getBytes(StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "wrote %s, %s and %d charts (report taken in %.0f s)%n", out.resolve("report.json"),
                out.resolve("report.md"), charts.size(), meta.wallSeconds());
    }

    /**
     * The whole report file.
     *
     * @param meta       the machine and settings
     * @param records    one per (layer, configuration, n, d, h)
     * @param summary    MAHA over the baseline
     * @param paperTable the paper's claim against the measured configurations
     * @param torchMeta  what the PyTorch script recorded, when merged
     */
    public record ReportFile(Meta meta, List<PointResult> records, List<Summary> summary, List<PaperTable> paperTable,
                             java.util.Map<String, Object> torchMeta) {
    }

    private List<PointSpec> select(List<PointSpec> all) {
        if (onlyLayers != null) {
            for (String l : onlyLayers) {
                if (!dev.maha.bench.AttentionLayers.NAMES.contains(l)) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--layer: unknown layer '" + l + "' (one of "
                            + String.join(", ", dev.maha.bench.AttentionLayers.NAMES) + ")");
                }
            }
        }
        List<PointSpec> out = new ArrayList<>();
        for (PointSpec p : all) {
            if (onlyN != null && !onlyN.contains(p.n())) continue;
            if (onlyLayers != null && !onlyLayers.contains(p.layer())) continue;
            out.add(p);
        }
        if (out.isEmpty()) throw new CommandLine.ParameterException(new CommandLine(this), "--n/--layer select no point of the sweep");
        return out;
    }

    private long memoryLimitBytes() {
        if (memoryLimitGb != null) {
            if (!(memoryLimitGb > 0)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--memory-limit-gb must be > 0, got " + memoryLimitGb);
            }
            return (long) (memoryLimitGb * 1e9);
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 2;
    }

    /** One point: skipped, or measured in a FLOPs-and-latency JVM and (when timed) a memory JVM. */
    private PointResult measure(PointSpec p, int warm, int reps, double minSec, long memoryLimit, String omp) throws InterruptedException {
        PointResult analytic = PointResult.analytic(p, "ok", null);
        if (p.scoreMatrixBytes() > memoryLimit) {
            return analytic.withStatus("skipped", String.format(Locale.ROOT,
                    "its full-length score matrices need about %.1f GB (n² · h · 4 bytes, twice), over the %.1f GB limit",
                    p.scoreMatrixBytes() / 1e9, memoryLimit / 1e9));
        }
        List<String> common = List.of("--layer", p.layer(), "--n", Integer.toString(p.n()), "--width", Integer.toString(p.width()),
                "--heads", Integer.toString(p.heads()), "--warmup", Integer.toString(warm), "--repeats", Integer.toString(reps),
                "--min-seconds", Double.toString(minSec));
        try {
            if (!p.timed()) return probe(common, "flops", omp, false);
            PointResult timed = probe(common, "time", omp, false);
            PointResult memory = probe(common, "memory", omp, true);
            return timed.measured("ok", timed.msFwd(), timed.msFwdBwd(), memory.peakBytes(), timed.flopsFwdCounted(),
                    timed.flopsBwdCounted());
        } catch (ProbeFailure e) {
            return analytic.withStatus("failed", e.getMessage());
        }
    }

    /** A measuring JVM that did not print a result. */
    private static final class ProbeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailure(String message) {
            super(message);
        }
    }

    private PointResult probe(List<String> common, String measure, String omp, boolean fixedMmap)
            throws InterruptedException, ProbeFailure {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-Xmx" + childHeap);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PointProbe.class.getName());
        cmd.addAll(common);
        cmd.add("--measure");
        cmd.add(measure);
        Path log = null;
        Process process = null;
        try {
            log = Files.createTempFile("maha-report-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_WAIT_POLICY", omp);
            // A fixed low mmap threshold stops glibc from raising it after frees, so freed buffers leave the
            // resident set and the peak is the layer's; latency runs keep freed buffers for reuse instead.
            if (fixedMmap) pb.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
            dev.maha.autograd.NativeEnvironment.addMissing(pb.environment());
            process = pb.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new ProbeFailure("the " + measure + " JVM took more than --timeout " + timeoutSeconds + " s");
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith(PointProbe.RESULT)) {
                    return Json.MAPPER.readValue(line.substring(PointProbe.RESULT.length()), PointResult.class);
                }
            }
            String tail = lines.isEmpty() ? "no output" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            throw new ProbeFailure("the " + measure + " JVM exited with " + process.exitValue() + ": " + tail);
        } catch (IOException e) {
            throw new ProbeFailure("the " + measure + " JVM could not run: " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) process.destroyForcibly();
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover temporary log is harmless
                }
            }
        }
    }
}
