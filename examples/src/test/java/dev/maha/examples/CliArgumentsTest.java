package dev.maha.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad arguments print what is wrong and the usage, and exit with status 2, before any work. */
class CliArgumentsTest {
    private static void assertUsageError(String mentions, String... args) {
        Cli.Run run = Cli.execute(args);
        assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
        assertTrue(run.err().contains("Usage:"), "usage printed: " + run.err());
        assertTrue(run.err().contains(mentions), "names '" + mentions + "': " + run.err());
    }

    @Test
    void unknownOptionsAndCommands() {
        assertUsageError("--bogus", "train-lm", "--bogus");
        assertUsageError("fly", "fly");
        assertUsageError("name a command");
    }

    @Test
    void unparsableValues() {
        assertUsageError("--steps", "train-lm", "--steps", "many");
        assertUsageError("--model", "train-lm", "--model", "rnn");
        assertUsageError("--aggregation", "train-recall", "--aggregation", "VOTE");
    }

    @Test
    void invalidValuesNameTheOptionAndTheValue() {
        assertUsageError("--heads (3) must divide --width (128)", "train-lm", "--model", "mhsa", "--heads", "3");
        assertUsageError("--steps (0)", "train-lm", "--steps", "0");
        assertUsageError("ratio (1) must be >= 2", "train-lm", "--ratio", "1");
        assertUsageError("--temperature (-1.0)", "train-lm", "--temperature", "-1");
        assertUsageError("windows has 2 entries but scales is 3", "train-lm", "--windows", "8,full", "--scales", "3");
        assertUsageError("--length (100)", "train-recall", "--length", "100");
    }

    @Test
    void missingRequiredOptions() {
        assertUsageError("--checkpoint", "sample");
        assertUsageError("--checkpoint", "eval");
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRun() {
        assertUsageError("remove --width", "train-lm", "--resume", "x.safetensors", "--width", "64");
    }
}
