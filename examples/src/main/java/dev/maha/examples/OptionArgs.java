package dev.maha.examples;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An options object's command-line form, and reading it back: how checkpoints store the model and
 * training options, so that a checkpoint rebuilds exactly the run that wrote it.
 */
final class OptionArgs {
    private OptionArgs() {
    }

    /** Every option of {@code options} that has a value, as {@code --name=value}. */
    static List<String> of(Object options) {
        List<String> args = new ArrayList<>();
        for (OptionSpec o : CommandLine.Model.CommandSpec.forAnnotatedObject(options).options()) {
            if (o.getValue() != null) args.add(o.longestName() + "=" + o.getValue());
        }
        return args;
    }

    /**
     * Parses {@code args} (space-separated, as {@link #of} joined them) into {@code target}.
     *
     * @throws IllegalArgumentException naming {@code what} if an option is unknown or does not parse
     */
    static <T> T parse(T target, String args, String what) {
        try {
            new CommandLine(target).parseArgs(args.isBlank() ? new String[0] : args.trim().split(" "));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(what + " '" + args + "': " + e.getMessage(), e);
        }
        return target;
    }
}
