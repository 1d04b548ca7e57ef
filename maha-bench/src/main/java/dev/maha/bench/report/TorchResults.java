package dev.maha.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's timings of the same baseline layer, written by {@code maha-bench/python/torch_baseline.py}:
 * {@code {"meta": {...}, "records": [{"n", "d", "h", "ms_fwd": {...}, "ms_fwd_bwd": {...}}]}}. The report
 * merges them into the baseline records as an extra column.
 *
 * @param meta    what the script recorded about its run (PyTorch version, threads, date)
 * @param records one entry per (n, d, h)
 */
public record TorchResults(java.util.Map<String, Object> meta, List<Entry> records) {
    /**
     * PyTorch's timings at one size.
     *
     * @param n        sequence length
     * @param d        width
     * @param h        heads
     * @param msFwd    forward latency (no autograd)
     * @param msFwdBwd forward + backward latency
     */
    public record Entry(int n, int d, int h, Stats msFwd, Stats msFwdBwd) {
    }

    /** Reads a file written by the script; a malformed file fails with its path in the message. */
    public static TorchResults read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--torch: no such file " + file);
        try {
            TorchResults t = Json.MAPPER.readValue(file.toFile(), TorchResults.class);
            if (t.records() == null) throw new IllegalArgumentException("--torch: " + file + " has no \"records\" list");
            return t;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("--torch: " + file + " is not the script's JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The baseline records with PyTorch's timings at the same (n, d, h) merged in. */
    public List<PointResult> mergeInto(List<PointResult> results) {
        List<PointResult> out = new ArrayList<>(results.size());
        for (PointResult r : results) {
            PointResult merged = r;
            if (r.layer().equals("baseline")) {
                for (Entry e : records) {
                    if (e.n() == r.n() && e.d() == r.d() && e.h() == r.h()) merged = r.withTorch(e.msFwd(), e.msFwdBwd());
                }
            }
            out.add(merged);
        }
        return out;
    }
}
