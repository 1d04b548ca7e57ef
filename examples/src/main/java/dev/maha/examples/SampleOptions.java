package dev.maha.examples;

import dev.maha.core.model.Sampler;
import dev.maha.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How to generate text from a language model: prompt, length, temperature, top-k, seed. */
public final class SampleOptions {
    @Option(names = "--prompt", description = "Text the sample continues (default: '${DEFAULT-VALUE}').")
    String prompt = "And God said";

    @Option(names = "--sample-length", description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length = 300;

    @Option(names = "--temperature", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature = 0.8;

    @Option(names = "--top-k", description = "Sample among the k most likely characters, 0 = all (default: ${DEFAULT-VALUE}).")
    int topK = 10;

    @Option(names = "--sample-seed", description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    /** The problems with these values, each naming its option (empty when all are fine). */
    List<String> problems() {
        List<String> errors = new ArrayList<>();
        if (prompt.isEmpty()) errors.add("--prompt must not be empty");
        if (length < 0) errors.add("--sample-length (" + length + ") must be >= 0");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) errors.add("--temperature (" + temperature + ") must be finite and >= 0");
        if (topK < 0) errors.add("--top-k (" + topK + ") must be >= 0");
        return errors;
    }

    /**
     * The prompt followed by {@code length} generated characters.
     *
     * @throws IllegalArgumentException if the prompt holds a character outside the vocabulary
     */
    String generate(TransformerModel model, CharVocab vocab) {
        int[] ids;
        try {
            ids = vocab.encode(prompt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prompt: " + e.getMessage(), e);
        }
        return prompt + vocab.decode(model.generate(ids, length, new Sampler(temperature, topK, seed)));
    }
}
