package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.core.maha.MahaConfig.Aggregation;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.maha.MahaConfig.DilatedConv;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MahaConfigTest {
    private static MahaConfig.Builder valid() {
        return MahaConfig.builder().width(256).heads(4).scales(4).ratio(2);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        MahaConfig c = valid().build();
        assertEquals(256, c.width());
        assertEquals(4, c.heads());
        assertEquals(64, c.headWidth());
        assertEquals(3, c.kernel());
        assertEquals(Arrays.asList(null, null, null, null), c.windows());
        assertFalse(c.causal());
        assertEquals(Decomposition.CONV, c.decomposition());
        assertEquals(DilatedConv.FULL, c.dilatedConv());
        assertEquals(Aggregation.NASH, c.aggregation());
        assertEquals(ConvexAllocation.Solver.ACTIVE_SET, c.convex().solver());
        assertEquals(ContestEquilibrium.Solver.EXACT, c.contest().solver());
        assertEquals(1e-6, c.valuationEpsilon());
        assertEquals(0.1, c.referenceLambda());
        assertEquals(3, c.consensusIterations());
        assertFalse(c.gating());
        assertTrue(c.preNorm());
        assertTrue(c.outputProjection());
        assertFalse(c.rotary());
        assertEquals(10000.0, c.rotaryBase());
        assertEquals(1024, c.ffnWidth());
        assertEquals(0.1, c.dropout());
        assertEquals(0L, c.seed());
        assertArrayEquals(new int[] {100, 50, 25, 13}, c.scaleLengths(100));
    }

    @Test
    void referenceIsThePublicCodesBlock() {
        MahaConfig c = MahaConfig.reference(16, 4, 3, 2);
        assertEquals(Decomposition.CONV, c.decomposition());
        assertEquals(DilatedConv.FULL, c.dilatedConv());
        assertFalse(c.preNorm());
        assertFalse(c.outputProjection());
        assertFalse(c.causal());
        assertFalse(c.gating());
        assertEquals(Arrays.asList(null, null, null), c.windows());
        assertEquals(Aggregation.REFERENCE_SOFTMAX, c.aggregation());
        assertEquals(3, c.kernel());
        assertEquals(0.1, c.referenceLambda());
        assertEquals(3, c.consensusIterations());
        MahaConfig nash = c.toBuilder().aggregation(Aggregation.REFERENCE_CONSENSUS).ffnWidth(32).build();
        assertEquals(Aggregation.REFERENCE_CONSENSUS, nash.aggregation());
        assertEquals(32, nash.ffnWidth());
    }

    @Test
    void efficientIsSpecSectionTwo() {
        MahaConfig c = MahaConfig.efficient(256, 4, 4, 2, 128);
        assertEquals(Decomposition.DEPTHWISE, c.decomposition());
        assertEquals(DilatedConv.DEPTHWISE, c.dilatedConv());
        assertEquals(Arrays.asList(128, 128, 128, MahaConfig.FULL), c.windows());
        assertEquals(128, c.window(0));
        assertNull(c.window(3));
        assertEquals(Aggregation.NASH, c.aggregation());
        assertTrue(c.preNorm());
        assertTrue(c.outputProjection());
        MahaConfig causal = c.toBuilder().causal(true).build();
        assertTrue(causal.causal());
        assertEquals(c.windows(), causal.windows());
        assertEquals(List.of(), MahaConfig.efficient(8, 2, 1, 2, 4).windows().subList(0, 0));
        assertEquals(Arrays.asList((Integer) null), MahaConfig.efficient(8, 2, 1, 2, 4).windows());
    }

    @Test
    void isImmutableAndRoundTripsThroughItsBuilder() {
        Integer[] w = {8, 8, MahaConfig.FULL, MahaConfig.FULL};
        MahaConfig c = valid().windows(w).seed(7).build();
        w[0] = 99;                                                  // the builder copied the array
        assertEquals(8, c.window(0));
        assertThrows(UnsupportedOperationException.class, () -> c.windows().set(0, 1));
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertTrue(c.toString().contains("windows=[8, 8, FULL, FULL]"), c.toString());
        assertEquals(c, c.toBuilder().convex(ConvexAllocation.Options.exact()).build());
        assertFalse(c.equals(c.toBuilder().convex(ConvexAllocation.Options.fista(10)).build()));
        assertFalse(c.equals(c.toBuilder().causal(true).build()));
        assertFalse(c.equals(c.toBuilder().rotary(true).build()));
        assertEquals(c.toBuilder().rotary(true).rotaryBase(500).build(), c.toBuilder().rotary(true).rotaryBase(500).build());
        assertTrue(c.toBuilder().rotary(true).build().toString().contains("rotary=true, rotaryBase=10000.0"));
    }

    @Test
    void invalidFieldsAreNamedWithTheirValues() {
        assertInvalid(b -> b.heads(3), "heads (3) must divide width (256)");
        assertInvalid(b -> b.ratio(1), "ratio (1) must be >= 2");
        assertInvalid(b -> b.scales(0), "scales (0) must be >= 1");
        assertInvalid(b -> b.windows(4, 4, 0, MahaConfig.FULL), "windows[2] (0) must be >= 1 or FULL");
        assertInvalid(b -> b.windows(4, 4, MahaConfig.FULL), "windows has 3 entries but scales is 4");
        assertInvalid(b -> b.width(0), "width (0) must be >= 1");
        assertInvalid(b -> b.heads(0), "heads (0) must be >= 1");
        assertInvalid(b -> b.kernel(0), "kernel (0) must be >= 1");
        assertInvalid(b -> b.kernel(4), "kernel (4) must be odd when causal is false");
        assertInvalid(b -> b.decomposition(null), "decomposition (null) must be one of");
        assertInvalid(b -> b.dilatedConv(null), "dilatedConv (null) must be one of");
        assertInvalid(b -> b.aggregation(null), "aggregation (null) must be one of");
        assertInvalid(b -> b.convex(null), "convex (null) must be set");
        assertInvalid(b -> b.contest(null), "contest (null) must be set");
        assertInvalid(b -> b.valuationEpsilon(0), "valuationEpsilon (0.0) must be finite and > 0");
        assertInvalid(b -> b.valuationEpsilon(Double.NaN), "valuationEpsilon (NaN) must be finite and > 0");
        assertInvalid(b -> b.referenceLambda(-1), "referenceLambda (-1.0) must be finite and >= 0");
        assertInvalid(b -> b.consensusIterations(0), "consensusIterations (0) must be >= 1");
        assertInvalid(b -> b.ffnWidth(0), "ffnWidth (0) must be >= 1");
        assertInvalid(b -> b.heads(256).rotary(true), "rotary needs an even head width, but width / heads = 256 / 256 = 1");
        assertInvalid(b -> b.rotaryBase(1), "rotaryBase (1.0) must be finite and > 1");
        assertInvalid(b -> b.dropout(1.0), "dropout (1.0) must lie in [0, 1)");
        assertInvalid(b -> b.dropout(-0.1), "dropout (-0.1) must lie in [0, 1)");
        assertInvalid(b -> b.causal(true).aggregation(Aggregation.REFERENCE_CONSENSUS), "aggregation (REFERENCE_CONSENSUS) is not causal");
        assertInvalid(b -> b.causal(true).aggregation(Aggregation.REFERENCE_SOFTMAX), "aggregation (REFERENCE_SOFTMAX) is not causal");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MahaConfig.builder().build());
        assertEquals("MahaConfig: width is required; heads is required; scales is required; ratio is required", e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().heads(3).ratio(1).windows(1, 2).build());
        assertEquals("MahaConfig: heads (3) must divide width (256); ratio (1) must be >= 2; windows has 2 entries but scales is 4",
                e.getMessage());
    }

    @Test
    void acceptsEvenKernelsWhenCausalAndCausalSafeAggregations() {
        assertEquals(4, valid().causal(true).kernel(4).build().kernel());
        for (Aggregation a : List.of(Aggregation.MEAN, Aggregation.CONVEX, Aggregation.NASH)) {
            assertTrue(valid().causal(true).aggregation(a).build().aggregation().causalSafe());
        }
        assertEquals(Arrays.asList(2, null, 3, null), valid().windows(Arrays.asList(2, null, 3, null)).build().windows());
    }

    private static void assertInvalid(UnaryOperator<MahaConfig.Builder> change, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertTrue(e.getMessage().startsWith("MahaConfig: ") && e.getMessage().contains(expected),
                "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
