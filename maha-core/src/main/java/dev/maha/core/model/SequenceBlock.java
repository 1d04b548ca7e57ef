package dev.maha.core.model;

import dev.maha.autograd.Tensor;

/**
 * A residual block over sequences {@code [B, n, d] → [B, n, d]}. MAHA's hybrid block and the dense
 * multi-head self-attention baseline both implement it, so that models, benchmarks and examples
 * treat them alike.
 */
public interface SequenceBlock {
    /**
     * @param x        the input sequence [B, n, d]
     * @param keyValid which positions hold real tokens, BOOL [B, n] (true = valid), or null when
     *                 every position is valid; padded positions are never attended to
     * @return the output [B, n, d] and the block's auxiliary loss (a rank-0 tensor, zero when the
     *         block has none)
     */
    BlockOutput forward(Tensor x, Tensor keyValid);

    /** What a block returns: its output and its auxiliary loss. */
    record BlockOutput(Tensor output, Tensor aux) {
    }
}
