package dev.maha.examples;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A character vocabulary: the distinct Unicode code points of a text, sorted, so that the same text
 * always gives the same ids. It travels in a checkpoint's metadata ({@link #serialize()}), so
 * {@code sample} and {@code eval} decode exactly what training encoded.
 */
public final class CharVocab {
    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharVocab(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints;
        for (int i = 0; i < sortedCodePoints.length; i++) ids.put(sortedCodePoints[i], i);
    }

    /** The sorted distinct code points of {@code text}. */
    public static CharVocab of(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        if (set.isEmpty()) throw new IllegalArgumentException("CharVocab: the text is empty");
        return new CharVocab(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Reads the form written by {@link #serialize()}: code points in decimal, comma-separated. */
    public static CharVocab parse(String serialized) {
        try {
            int[] cps = Arrays.stream(serialized.split(",")).mapToInt(Integer::parseInt).toArray();
            for (int i = 1; i < cps.length; i++) {
                if (cps[i] <= cps[i - 1]) throw new IllegalArgumentException("code points are not strictly increasing at " + i);
            }
            return new CharVocab(cps);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CharVocab: cannot read the vocabulary '" + abbreviate(serialized) + "': "
                    + e.getMessage(), e);
        }
    }

    /** Code points in decimal, comma-separated, ascending. */
    public String serialize() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints.length; i++) sb.append(i == 0 ? "" : ",").append(codePoints[i]);
        return sb.toString();
    }

    /** Number of characters V. */
    public int size() {
        return codePoints.length;
    }

    /** The ids of {@code text}; every character must be in the vocabulary. */
    public int[] encode(String text) {
        return text.codePoints().map(cp -> {
            Integer id = ids.get(cp);
            if (id == null) {
                throw new IllegalArgumentException("the character '" + new String(Character.toChars(cp)) + "' (U+"
                        + String.format("%04X", cp) + ") is not in the model's vocabulary of " + size() + " characters");
            }
            return id;
        }).toArray();
    }

    /** The text of {@code ids}. */
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : tokens) sb.appendCodePoint(codePoints[id]);
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
