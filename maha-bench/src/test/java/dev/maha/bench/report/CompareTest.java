package dev.maha.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompareTest {
    @Test
    void summaryTakesTheMedianOfPerRoundRatios() {
        // Round 2 is slow for both layers (a machine hiccup) and keeps its ratio; per-round ratios 4, 4, 2.
        double[][] ms = {{1000, 3000, 900}, {250, 750, 450}};
        String out = Compare.summary(List.of("baseline", "maha"), ms);
        assertTrue(out.contains("baseline                 median   1000.0 ms   min    900.0   max   3000.0"), out);
        assertTrue(out.contains("speed-up baseline / maha: median 4.00x (min 2.00x, max 4.00x) over 3 rounds"), out);
    }

    @Test
    void rejectsUnknownLayersAndSingleLayers() {
        CommandLine cl = new CommandLine(new Compare());
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, cl.execute("--layers", "baseline,nope"));
        assertEquals(2, cl.execute("--layers", "baseline"));
    }
}
