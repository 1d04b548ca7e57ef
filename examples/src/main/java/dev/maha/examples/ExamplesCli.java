package dev.maha.examples;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples' command line: {@code train-lm}, {@code sample}, {@code eval}, {@code train-recall}.
 * Bad arguments print the error and the usage and exit with status 2; a run that fails on its input
 * (a corrupted checkpoint, an unreadable file) prints the reason and exits with status 1.
 *
 * <pre>
 * java -jar examples/target/maha-examples.jar train-lm --model both --steps 300
 * java -jar examples/target/maha-examples.jar sample --checkpoint runs/train-lm-maha/checkpoint.safetensors
 * </pre>
 */
@Command(name = "maha-examples", mixinStandardHelpOptions = true, version = "maha-examples 0.1.0",
        description = "Example training scripts for MAHA for Java.",
        subcommands = {TrainLm.class, Sample.class, Eval.class, TrainRecall.class, CommandLine.HelpCommand.class})
public final class ExamplesCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train-lm, sample, eval or train-recall");
    }

    /** The configured command line (case-insensitive enum values, short error messages for failed runs). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ExamplesCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parseResult) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                PrintWriter err = line.getErr();
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
            throw e;
        });
        return cl;
    }

    public static void main(String[] args) throws Exception {
        int relaunched = dev.maha.autograd.NativeEnvironment.relaunchIfNeeded(ExamplesCli.class, args);
        System.exit(relaunched >= 0 ? relaunched : commandLine().execute(args));
    }
}
