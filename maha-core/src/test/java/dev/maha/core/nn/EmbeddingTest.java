package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The lookup table: N(0, 1) initialisation, lookup, gradient. */
class EmbeddingTest {
    @Test
    void initialisationIsStandardNormal() {
        Embedding e = new Embedding(200, 100, 3, DataType.DOUBLE);
        LinearTest.Stats s = LinearTest.Stats.of(e.weight().toDoubleArray());
        assertEquals(0, s.mean(), 4 / Math.sqrt(20000), s.toString());
        assertEquals(1, s.variance(), 0.05, s.toString());
        assertTrue(s.min() < -3 && s.max() > 3, "tails of a normal: " + s);
        assertEquals(List.of("weight"), List.copyOf(e.namedParameters().keySet()));
        assertArrayEquals(new long[] {200, 100}, e.weight().shape());
    }

    @Test
    void theSameSeedGivesTheSameTable() {
        assertEquals(new Embedding(10, 4, 9).weight().value(), new Embedding(10, 4, 9).weight().value());
        assertTrue(!new Embedding(10, 4, 9).weight().value().equals(new Embedding(10, 4, 8).weight().value()));
    }

    @Test
    void forwardLooksUpRowsOfTokenIdsBn() {
        Embedding e = new Embedding(10, 4, 1);
        Tensor ids = Tensor.indices(new long[] {3, 0, 9, 3, 1, 2}, 2, 3);
        Tensor y = e.forward(ids);
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        assertEquals(e.weight().value().getRow(9), y.value().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(2), org.nd4j.linalg.indexing.NDArrayIndex.all()));
    }

    @Test
    void gradientScatterAddsIntoTheRowsUsed() {
        Embedding e = new Embedding(5, 2, 1, DataType.DOUBLE);
        e.forward(Tensor.indices(new long[] {3, 0, 3}, 3)).sum().backward();
        INDArray g = e.weight().grad();
        assertEquals(Nd4j.create(new double[][] {{1, 1}, {0, 0}, {0, 0}, {2, 2}, {0, 0}}), g);
    }

    @Test
    void anIndexOutOfRangeIsNamed() {
        Embedding e = new Embedding(5, 2, 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.forward(Tensor.indices(new long[] {1, 5}, 2)));
        assertTrue(ex.getMessage().contains("index 5") && ex.getMessage().contains("[0, 5)"), ex.getMessage());
    }

    @Test
    void invalidSizesAreRejected() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 0, 1));
        assertTrue(ex.getMessage().startsWith("Embedding:") && ex.getMessage().contains("dim = 0"), ex.getMessage());
    }
}
