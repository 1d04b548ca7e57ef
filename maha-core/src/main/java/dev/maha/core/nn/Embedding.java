package dev.maha.core.nn;

import dev.maha.autograd.Functional;
import dev.maha.autograd.Tensor;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Lookup table (PyTorch's {@code nn.Embedding}): indices [...] (int32 or int64, for example
 * [B, n] token ids) → [..., dim], row {@code i} of {@code weight} for index {@code i}. Computed by
 * {@link Functional#embedding}; an index outside [0, num) is an error naming it.
 *
 * <p>Parameter: {@code weight} [num, dim], initialised N(0, 1) as in PyTorch, from a
 * {@link SplittableRandom} seeded with {@code seed}.
 */
public final class Embedding extends Module implements Layer {
    private final int num;
    private final int dim;
    private final Tensor weight;

    /** A float32 table. */
    public Embedding(int num, int dim, long seed) {
        this(num, dim, seed, DataType.FLOAT);
    }

    /**
     * @param num   number of rows (vocabulary size, positions), ≥ 1
     * @param dim   width of a row, ≥ 1
     * @param seed  seed of the initialisation
     * @param dtype floating-point type of the table
     */
    public Embedding(int num, int dim, long seed, DataType dtype) {
        if (num < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: num and dim must be >= 1, got num = " + num + ", dim = " + dim);
        }
        Init.requireFloating("Embedding", dtype);
        this.num = num;
        this.dim = dim;
        this.weight = registerParameter("weight", Init.parameter(Init.normal(new SplittableRandom(seed), 1.0, dtype, num, dim)));
    }

    /**
     * @param indices [...] int32 or int64, each in [0, num)
     * @return [..., dim]
     */
    @Override
    public Tensor forward(Tensor indices) {
        return Functional.embedding(weight, indices);
    }

    /** The table [num, dim]. */
    public Tensor weight() {
        return weight;
    }

    /** Number of rows. */
    public int num() {
        return num;
    }

    /** Width of a row. */
    public int dim() {
        return dim;
    }

    @Override
    protected String label() {
        return "Embedding(" + num + ", " + dim + ")";
    }
}
