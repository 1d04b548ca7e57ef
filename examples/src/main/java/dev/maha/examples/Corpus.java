package dev.maha.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A text corpus split deterministically into training and validation characters.
 *
 * <p>The split cuts the text into chunks of {@link #CHUNK} characters and sends every
 * {@link #VALIDATION_EVERY}-th chunk (chunk indices 19, 39, 59, ...) to validation: 5 % of the text,
 * spread over the whole corpus (for the Bible: every book contributes), never overlapping the
 * training text. The rest, in order, is the training text.
 */
public final class Corpus {
    /** The bundled corpus's name, as recorded in checkpoints. */
    public static final String BUNDLED = "bundled:kjv";
    /** Characters per split chunk. */
    public static final int CHUNK = 4096;
    /** Every this-many-th chunk is validation. */
    public static final int VALIDATION_EVERY = 20;
    private static final String RESOURCE = "/corpus/kjv.txt.gz";

    private final String source;
    private final String text;
    private final CharVocab vocab;
    private final int[] train;
    private final int[] validation;

    private Corpus(String source, String text) {
        this.source = source;
        this.text = text;
        this.vocab = CharVocab.of(text);
        int[] all = vocab.encode(text);
        int chunks = (all.length + CHUNK - 1) / CHUNK;
        int valLength = 0;
        for (int c = VALIDATION_EVERY - 1; c < chunks; c += VALIDATION_EVERY) {
            valLength += Math.min(CHUNK, all.length - c * CHUNK);
        }
        this.train = new int[all.length - valLength];
        this.validation = new int[valLength];
        int t = 0;
        int v = 0;
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK;
            int len = Math.min(CHUNK, all.length - from);
            if (c % VALIDATION_EVERY == VALIDATION_EVERY - 1) {
                System.arraycopy(all, from, validation, v, len);
                v += len;
            } else {
                System.arraycopy(all, from, train, t, len);
                t += len;
            }
        }
    }

    /**
     * The bundled King James Bible ({@link #BUNDLED}) when {@code file} is null, otherwise the UTF-8
     * text of {@code file}.
     *
     * @throws IOException if the file cannot be read or is not valid UTF-8
     */
    public static Corpus load(Path file) throws IOException {
        if (file == null) return bundled();
        if (!Files.isRegularFile(file)) throw new IOException("--data: " + file + " is not a readable file");
        return fromText(file.toAbsolutePath().toString(), decodeUtf8(Files.readAllBytes(file), file.toString()));
    }

    /** Loads by the source name a checkpoint recorded: {@link #BUNDLED} or a file path. */
    public static Corpus loadSource(String source) throws IOException {
        return BUNDLED.equals(source) ? bundled() : load(Path.of(source));
    }

    /** The bundled King James Bible. */
    public static Corpus bundled() throws IOException {
        try (InputStream raw = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IOException("the bundled corpus " + RESOURCE + " is missing from the class path");
            try (GZIPInputStream in = new GZIPInputStream(raw)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 22);
                in.transferTo(out);
                return fromText(BUNDLED, decodeUtf8(out.toByteArray(), RESOURCE));
            }
        }
    }

    /** A corpus over an in-memory text (needs at least {@link #VALIDATION_EVERY} chunks' worth for a validation set). */
    public static Corpus fromText(String source, String text) {
        if (text.length() < VALIDATION_EVERY * CHUNK) {
            throw new IllegalArgumentException("--data: " + source + " has " + text.length() + " characters; at least "
                    + VALIDATION_EVERY * CHUNK + " are needed (every " + VALIDATION_EVERY + "th chunk of " + CHUNK
                    + " characters is validation)");
        }
        return new Corpus(source, text);
    }

    private static String decodeUtf8(byte[] bytes, String name) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + " is not valid UTF-8 text: " + e.getMessage(), e);
        }
    }

    /** Where the text came from: {@link #BUNDLED} or an absolute file path. */
    public String source() {
        return source;
    }

    /** SHA-256 of the text (UTF-8), hex: a resumed run checks it trains on the same text. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The vocabulary of the whole text. */
    public CharVocab vocab() {
        return vocab;
    }

    /** Training ids (a shared array: do not modify). */
    public int[] train() {
        return train;
    }

    /** Validation ids (a shared array: do not modify). */
    public int[] validation() {
        return validation;
    }

    /**
     * Bits per character of the unigram baseline: the training text's character frequencies (add-one
     * smoothed over the vocabulary, so a character unseen in training still has a probability)
     * evaluated on the validation text, {@code −mean log₂ p(c)}.
     */
    public double unigramBitsPerChar() {
        double[] counts = new double[vocab.size()];
        java.util.Arrays.fill(counts, 1);
        for (int id : train) counts[id]++;
        double total = train.length + vocab.size();
        double bits = 0;
        for (int id : validation) bits -= Math.log(counts[id] / total);
        return bits / validation.length / Math.log(2);
    }
}
