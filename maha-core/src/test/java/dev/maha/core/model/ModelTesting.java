package dev.maha.core.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers of the model tests: masks, token batches, message checks. */
final class ModelTesting {
    private ModelTesting() {
    }

    /** A BOOL [B, n] tensor. */
    static Tensor keyMask(boolean[][] valid) {
        int b = valid.length;
        int n = valid[0].length;
        boolean[] flat = new boolean[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(valid[i], 0, flat, i * n, n);
        return Tensor.owning(Nd4j.create(flat, new long[] {b, n}, DataType.BOOL));
    }

    /** Rows valid on their first {@code lengths[i]} positions, padded after. */
    static boolean[][] prefixValid(int n, int... lengths) {
        boolean[][] v = new boolean[lengths.length][n];
        for (int i = 0; i < lengths.length; i++) for (int j = 0; j < lengths[i]; j++) v[i][j] = true;
        return v;
    }

    /** An int64 [B, n] tensor. */
    static Tensor tokens(long[][] ids) {
        int b = ids.length;
        int n = ids[0].length;
        long[] flat = new long[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(ids[i], 0, flat, i * n, n);
        return Tensor.indices(flat, b, n);
    }

    /** Random ids in [0, vocab). */
    static long[][] randomIds(SplittableRandom rng, int b, int n, int vocab) {
        long[][] ids = new long[b][n];
        for (long[] row : ids) for (int j = 0; j < n; j++) row[j] = rng.nextInt(vocab);
        return ids;
    }

    /** Runs r, expects an IllegalArgumentException whose message contains every part. */
    static IllegalArgumentException assertMessage(Executable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        return e;
    }
}
