package dev.maha.core.nn;

import dev.maha.autograd.Tensor;

/** Element-wise activation, the exact (erf) GELU, 0.5·x·(1 + erf(x/√2)): x [...] → same shape. No parameters. */
public final class Gelu extends Module implements Layer {
    /**
     * @param x [...]
     * @return [...]
     */
    @Override
    public Tensor forward(Tensor x) {
        return x.gelu();
    }
}
