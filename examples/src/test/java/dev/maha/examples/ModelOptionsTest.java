package dev.maha.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maha.core.maha.MahaConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options a checkpoint stores read back to the same MAHA configuration. */
class ModelOptionsTest {
    @Test
    void theStoredFormReadsBackToTheSameConfiguration() {
        ModelOptions o = new ModelOptions();
        new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--width", "48", "--heads", "3",
                "--windows", "16,full", "--scales", "2", "--pre-norm", "false", "--gating=true", "--output-projection=false",
                "--aggregation", "convex", "--convex-solver", "FISTA", "--convex-iterations", "7", "--contest-gradient",
                "UNROLLED", "--valuation-epsilon", "1e-4", "--dropout", "0.25", "--ffn-width", "40");
        ModelOptions back = ModelOptions.parse(String.join(" ", o.toArgs()));
        assertEquals(o.toArgs(), back.toArgs());
        MahaConfig c = back.mahaConfig(5);
        assertEquals(o.mahaConfig(5), c);
        assertEquals(false, c.preNorm());
        assertEquals(true, c.gating());
        assertEquals(false, c.outputProjection());
        assertEquals(MahaConfig.Aggregation.CONVEX, c.aggregation());
        assertEquals(40, c.ffnWidth());
        assertEquals(java.util.Arrays.asList(16, null), c.windows());
        assertEquals(List.of(), ModelOptions.parse(String.join(" ", new ModelOptions().toArgs())).toArgs().stream()
                .filter(a -> !new ModelOptions().toArgs().contains(a)).toList());
    }
}
