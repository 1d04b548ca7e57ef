package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.maha.MahaConfig.Aggregation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ScaleAggregationTest {

    @Test
    void parametersFollowTheMode() {
        for (Aggregation mode : Aggregation.values()) {
            MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(3).ratio(2).aggregation(mode).build();
            Map<String, INDArray> s = new ScaleAggregation(cfg, 1).stateDict();
            String keys = String.join(",", s.keySet());
            switch (mode) {
                case MEAN -> assertEquals("", keys);
                case CONVEX, NASH -> {
                    assertEquals("utility_weight,utility_bias", keys);
                    assertEquals("[3, 2, 4]", java.util.Arrays.toString(s.get("utility_weight").shape()));
                    assertEquals("[3, 2]", java.util.Arrays.toString(s.get("utility_bias").shape()));
                }
                case REFERENCE_SOFTMAX -> {
                    assertEquals("convex_logits", keys);
                    assertEquals(0.0, s.get("convex_logits").amaxNumber().doubleValue(), 0.0);
                }
                case REFERENCE_CONSENSUS -> assertEquals("convex_logits,utility_proj.weight,utility_proj.bias", keys);
                default -> throw new AssertionError(mode);
            }
            ScaleAggregator.Settings settings = ScaleAggregation.settings(cfg);
            assertEquals(mode.name(), settings.mode().name());
        }
    }

    @Test
    void fewerScalesUseTheLeadingUtilityRows() {
        for (Aggregation mode : new Aggregation[] {Aggregation.CONVEX, Aggregation.NASH, Aggregation.MEAN}) {
            MahaConfig cfg = MahaConfig.builder().width(8).heads(2).scales(4).ratio(2).aggregation(mode).build();
            ScaleAggregation agg = new ScaleAggregation(cfg, 2, DataType.DOUBLE);
            try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
                List<Tensor> u = new ArrayList<>();
                for (int l = 0; l < 2; l++) u.add(Tensor.randn(l, DataType.DOUBLE, 1, 2, 5, 4));
                ScaleAggregator.Result r = agg.forward(u, null);
                ScaleAggregator.Result e = mode == Aggregation.MEAN ? ScaleAggregator.mean(u, null)
                        : ScaleAggregator.aggregate(ScaleAggregation.settings(cfg), u, null,
                                agg.utilityWeight().narrow(0, 0, 2), agg.utilityBias().narrow(0, 0, 2), null);
                Close.assertClose(mode.toString(), e.output().value(), r.output().value(), 0);
            }
        }
    }

    @Test
    void referenceConsensusKeepsItsUnusedParametersGradientFree() {
        MahaConfig cfg = MahaConfig.reference(8, 2, 3, 2).toBuilder().aggregation(Aggregation.REFERENCE_CONSENSUS).build();
        ScaleAggregation agg = new ScaleAggregation(cfg, 2, DataType.DOUBLE);
        try (Scope scope = Scope.open()) {
            List<Tensor> u = new ArrayList<>();
            for (int l = 0; l < 3; l++) u.add(Tensor.randn(l, DataType.DOUBLE, 1, 2, 5, 4).requiresGrad(true));
            agg.forward(u, null).output().sum().backward();
            for (Map.Entry<String, Tensor> e : agg.namedParameters().entrySet()) assertNull(e.getValue().grad(), e.getKey());
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> agg.forward(u.subList(0, 2), null));
            assertTrue(ex.getMessage().contains("REFERENCE_CONSENSUS") && ex.getMessage().contains("3"), ex.getMessage());
        }
    }
}
