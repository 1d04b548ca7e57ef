package dev.maha.core.model;

import static dev.maha.core.model.ModelTesting.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.core.model.ModelConfig.Head;
import dev.maha.core.model.ModelConfig.Positions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Validation, defaults, copies and seeds of the model configuration. */
class ModelConfigTest {
    @Test
    void factoriesSetTheDocumentedDefaults() {
        ModelConfig lm = ModelConfig.languageModel(100, 32, 64, 3);
        assertEquals(new ModelConfig(100, 32, 64, 3, 0.1, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), lm);
        assertTrue(lm.isLanguageModel());
        ModelConfig cls = ModelConfig.classifier(100, 32, 64, 3, 5);
        assertEquals(Head.classifier(5), cls.head());
        assertFalse(cls.isLanguageModel());
        assertEquals("CLASSIFIER(5)", cls.head().toString());
        assertEquals("TIED_LM", Head.TIED_LM.toString());
    }

    @Test
    void copiesChangeOneField() {
        ModelConfig base = ModelConfig.languageModel(100, 32, 64, 3);
        assertEquals(0.0, base.withDropout(0).dropout());
        assertEquals(Positions.NONE, base.withPositions(Positions.NONE).positions());
        assertEquals(Head.classifier(2), base.withHead(Head.classifier(2)).head());
        assertEquals(7, base.withSeed(7).seed());
        assertEquals(DataType.DOUBLE, base.withDtype(DataType.DOUBLE).dtype());
        assertEquals(base.vocabSize(), base.withSeed(7).vocabSize());
    }

    @Test
    void layerSeedsDifferByLayerAndBySeed() {
        ModelConfig a = ModelConfig.languageModel(10, 8, 8, 2);
        assertNotEquals(a.layerSeed(0), a.layerSeed(1));
        assertNotEquals(a.layerSeed(0), a.withSeed(1).layerSeed(0));
        assertEquals(a.layerSeed(1), ModelConfig.languageModel(10, 8, 8, 2).layerSeed(1));
    }

    @Test
    void invalidFieldsAreNamed() {
        assertMessage(() -> new ModelConfig(0, 8, 8, 1, 0, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), "vocabSize (0)");
        assertMessage(() -> new ModelConfig(10, 0, 8, 1, 0, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), "width (0)");
        assertMessage(() -> new ModelConfig(10, 8, 0, 1, 0, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), "maxLength (0)");
        assertMessage(() -> new ModelConfig(10, 8, 8, 0, 0, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), "layers (0)");
        assertMessage(() -> new ModelConfig(10, 8, 8, 1, 1, Positions.LEARNED, Head.TIED_LM, 0, DataType.FLOAT), "dropout (1.0)");
        assertMessage(() -> new ModelConfig(10, 8, 8, 1, 0, null, Head.TIED_LM, 0, DataType.FLOAT), "positions");
        assertMessage(() -> new ModelConfig(10, 8, 8, 1, 0, Positions.NONE, null, 0, DataType.FLOAT), "head");
        assertMessage(() -> new ModelConfig(10, 8, 8, 1, 0, Positions.NONE, Head.TIED_LM, 0, DataType.HALF), "dtype (HALF)");
        assertMessage(() -> Head.classifier(0), "numClasses (0)");
    }
}
