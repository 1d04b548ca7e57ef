package dev.maha.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sample}: generates text from a {@code train-lm} checkpoint. */
@Command(name = "sample", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false,
        description = "Generate text from a train-lm checkpoint.")
public final class Sample implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "FILE", description = "A train-lm checkpoint.")
    Path checkpoint;

    @Mixin
    SampleOptions sampling = new SampleOptions();

    @Override
    public Integer call() throws IOException {
        List<String> problems = sampling.problems();
        if (!problems.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        try (LmCheckpoint.Loaded loaded = LmCheckpoint.load(checkpoint)) {
            System.out.println(sampling.generate(loaded.model(), loaded.vocab()));
        }
        return 0;
    }
}
