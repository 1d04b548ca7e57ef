package dev.maha.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FLOPs of one forward and one backward pass of a layer (multiply-add = 2), with the share of each
 * part ({@code projections}, {@code attention}, ...) for the report's breakdown.
 *
 * @param forward  FLOPs of the forward pass
 * @param backward FLOPs of the backward pass (all parameter gradients and the input gradient)
 * @param parts    per part: {@code [forward, backward]}, in the order the layer runs them
 */
public record LayerFlops(long forward, long backward, Map<String, long[]> parts) {
    /** Forward plus backward. */
    public long total() {
        return forward + backward;
    }

    /** Accumulates parts while a model walks through a layer. */
    static final class Builder {
        private final Map<String, long[]> parts = new LinkedHashMap<>();

        /** Adds FLOPs to a part. */
        Builder add(String part, long forward, long backward) {
            long[] slot = parts.computeIfAbsent(part, k -> new long[2]);
            slot[0] += forward;
            slot[1] += backward;
            return this;
        }

        LayerFlops build() {
            long f = 0;
            long b = 0;
            Map<String, long[]> copy = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : parts.entrySet()) {
                f += e.getValue()[0];
                b += e.getValue()[1];
                copy.put(e.getKey(), e.getValue().clone());
            }
            return new LayerFlops(f, b, Collections.unmodifiableMap(copy));
        }
    }
}
