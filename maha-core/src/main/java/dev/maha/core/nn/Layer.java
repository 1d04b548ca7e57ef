package dev.maha.core.nn;

import dev.maha.autograd.Tensor;

/**
 * A module (or any function) of one input tensor to one output tensor; {@link Sequential} chains
 * them. Every single-input layer of this package implements it.
 */
@FunctionalInterface
public interface Layer {
    /** Applies the layer; the implementing class documents the shapes. */
    Tensor forward(Tensor x);
}
