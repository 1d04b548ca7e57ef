package dev.maha.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's outputs from synthetic measurements: summary, paper table, PyTorch merge, JSON, charts. */
class ReportOutputTest {
    private static PointResult timed(String layer, int n, int d, int h, double msFwdBwd, long peak) {
        PointResult a = PointResult.analytic(new PointSpec(layer, n, d, h, true), "ok", null);
        Stats fb = new Stats(msFwdBwd, msFwdBwd * 0.9, msFwdBwd * 1.2, 5);
        return a.measured("ok", new Stats(msFwdBwd / 3, msFwdBwd / 3, msFwdBwd / 3, 5), fb, peak, a.flopsFwdAnalytic(),
                a.flopsBwdAnalytic());
    }

    private static List<PointResult> records() {
        return List.of(timed("baseline", 256, 16, 2, 10, 1_000_000), timed("maha-efficient-nash", 256, 16, 2, 4, 500_000),
                timed("baseline", 1024, 16, 2, 100, 8_000_000), timed("maha-efficient-nash", 1024, 16, 2, 20, 2_000_000),
                PointResult.analytic(new PointSpec("baseline", 4096, 768, 12, false), "flops-only", null),
                PointResult.analytic(new PointSpec("maha-reference-nash", 4096, 768, 12, false), "flops-only", null),
                PointResult.analytic(new PointSpec("maha-efficient-nash", 4096, 768, 12, false), "flops-only", null));
    }

    @Test
    void summaryGivesSpeedupAndBothReductionsAgainstTheBaselineAtTheSameSize() {
        List<Summary> summary = Summary.of(records());
        assertEquals(4, summary.size());
        Summary at1024 = summary.stream().filter(s -> s.n() == 1024).findFirst().orElseThrow();
        assertEquals(5.0, at1024.speedupFwdBwd(), 1e-12);
        assertEquals(at1024.flopsReductionAnalytic(), at1024.flopsReductionCounted(), 1e-12);
        Summary paperReference = summary.stream().filter(s -> s.layer().equals("maha-reference-nash")).findFirst().orElseThrow();
        assertNull(paperReference.speedupFwdBwd());
        assertEquals(-0.328125, paperReference.scoreEntriesReduction(), 1e-12);
    }

    @Test
    void paperTableShowsTheFullLengthScaleCostingAThirdMore() {
        List<PaperTable> rows = PaperTable.of(records());
        assertEquals(2, rows.size());
        PaperTable reference = rows.get(0);
        assertEquals("reference-like", reference.config());
        assertEquals(0.328125, reference.scoreEntriesChange(), 1e-12);
        assertTrue(reference.flopsFwdBwdChange() > 0.3, "the reference-like layer costs more than dense: " + reference);
        PaperTable efficient = rows.get(1);
        assertEquals((7168.0 * 128 + 512 * 512) / (4096.0 * 4096) - 1, efficient.scoreEntriesChange(), 1e-12);
        assertTrue(efficient.flopsFwdBwdChange() < -0.5, "the efficient layer costs less than half: " + efficient);
    }

    @Test
    void torchTimingsMergeIntoTheBaselineRecordsOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("torch.json");
        Files.writeString(file, "{\"meta\": {\"torch\": \"1.13\"}, \"records\": [{\"n\": 256, \"d\": 16, \"h\": 2, "
                + "\"ms_fwd\": {\"median\": 1, \"min\": 1, \"max\": 2, \"runs\": 3}, "
                + "\"ms_fwd_bwd\": {\"median\": 3, \"min\": 2, \"max\": 4, \"runs\": 3}}]}");
        List<PointResult> merged = TorchResults.read(file).mergeInto(records());
        assertEquals(3.0, merged.get(0).torchMsFwdBwd().median());
        assertNull(merged.get(1).torchMsFwdBwd());
        assertNull(merged.get(2).torchMsFwdBwd());
        Files.writeString(file, "[1, 2]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchResults.read(file));
        assertTrue(e.getMessage().startsWith("--torch: " + file), e.getMessage());
    }

    @Test
    void reportFileRoundTripsThroughSnakeCaseJson() throws Exception {
        Meta meta = Meta.now("quick", 2, 5, 2.0, "test", "PASSIVE");
        Report.ReportFile file = new Report.ReportFile(meta, records(), Summary.of(records()), PaperTable.of(records()), null);
        String json = Json.MAPPER.writeValueAsString(file);
        assertTrue(json.contains("\"ms_fwd_bwd\"") && json.contains("\"flops_fwd_counted\"") && json.contains("\"score_entries\""), json);
        Report.ReportFile back = Json.MAPPER.readValue(json, Report.ReportFile.class);
        assertEquals(file.records(), back.records());
        assertEquals(file.summary(), back.summary());
    }

    @Test
    void chartsAreWrittenForEachShapeWithSeveralLengths(@TempDir Path dir) throws Exception {
        List<String> charts = Charts.write(records(), dir);
        assertEquals(List.of("latency-d16-h2.png", "flops-d16-h2.png", "memory-d16-h2.png"), charts);
        for (String c : charts) {
            byte[] png = Files.readAllBytes(dir.resolve(c));
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', c);
        }
    }
}
