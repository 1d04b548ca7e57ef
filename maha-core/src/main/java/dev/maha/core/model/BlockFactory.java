package dev.maha.core.model;

import dev.maha.core.nn.Module;

/**
 * Makes the blocks of a {@link TransformerModel}: {@code create(i)} returns block i (0-based) as a
 * module that is a {@link SequenceBlock} of the model's width and parameter type, for example
 * {@code i -> new StandardBlock(d, 4, true, 0.1, cfg.layerSeed(i), DataType.FLOAT)}.
 *
 * @param <B> the block type: a {@link Module} implementing {@link SequenceBlock}
 */
@FunctionalInterface
public interface BlockFactory<B extends Module & SequenceBlock> {
    /** Block number {@code layer}, a new module each call. */
    B create(int layer);
}
