package dev.maha.core.nn;

import dev.maha.autograd.Tensor;

/** Element-wise activation, max(x, 0): x [...] → same shape. No parameters. */
public final class Relu extends Module implements Layer {
    /**
     * @param x [...]
     * @return [...]
     */
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
