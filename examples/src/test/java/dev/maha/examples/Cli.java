package dev.maha.examples;

import dev.maha.autograd.io.SafeTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs the examples' command line in-process, capturing what it prints. */
final class Cli {
    /** A tiny model that trains in well under a second per step. */
    static final String[] TINY = {"--width", "32", "--layers", "1", "--heads", "2", "--seq-len", "32", "--batch", "4",
        "--scales", "2", "--window", "8", "--eval-windows", "4", "--sample-length", "8", "--warmup", "2"};

    record Run(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    static Run execute(String... args) {
        CommandLine cl = ExamplesCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code train-lm} with the {@link #TINY} model plus {@code args}. */
    static Run trainTiny(String... args) {
        List<String> all = new ArrayList<>(List.of("train-lm"));
        all.addAll(Arrays.asList(TINY));
        all.addAll(Arrays.asList(args));
        return execute(all.toArray(new String[0]));
    }

    /** The per-step training losses recorded in a checkpoint. */
    static double[] trainLosses(Path checkpoint) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(checkpoint);
        return Arrays.stream(c.metadata().get(LmCheckpoint.HISTORY_TRAIN).split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
