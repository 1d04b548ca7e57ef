package dev.maha.core.nn;

import dev.maha.autograd.Tensor;

/** Element-wise activation, tanh(x): x [...] → same shape. No parameters. */
public final class Tanh extends Module implements Layer {
    /**
     * @param x [...]
     * @return [...]
     */
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
