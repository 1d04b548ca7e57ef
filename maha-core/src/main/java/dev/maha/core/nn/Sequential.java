package dev.maha.core.nn;

import dev.maha.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A chain of single-input modules (PyTorch's {@code nn.Sequential}): {@code forward(x)} feeds x
 * through each in turn. The modules are registered as children {@code "0"}, {@code "1"}, ... so a
 * feed-forward network registered as {@code "ffn"} has parameters {@code ffn.0.weight},
 * {@code ffn.2.weight}, ... (parameterless activations keep their index).
 *
 * <pre>{@code
 * Sequential ffn = new Sequential(new Linear(d, 4 * d, true, 1), new Gelu(), new Dropout(0.1, 2),
 *                                 new Linear(4 * d, d, true, 3));
 * Tensor y = ffn.forward(x);                    // [B, n, d] → [B, n, d]
 * }</pre>
 */
public final class Sequential extends Module implements Layer {
    private final List<Module> modules = new ArrayList<>();

    /** @param modules modules that each implement {@link Layer}, applied in order */
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            Module m = modules[i];
            if (m != null && !(m instanceof Layer)) {
                throw new IllegalArgumentException("Sequential: module " + i + " (" + m.label()
                        + ") does not implement Layer (a single-input forward)");
            }
            registerModule(Integer.toString(i), m);
            this.modules.add(m);
        }
    }

    /**
     * @param x the first module's input
     * @return the last module's output (x itself when the chain is empty)
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : modules) h = ((Layer) m).forward(h);
        return h;
    }

    /** The {@code i}-th module. */
    public Module get(int i) {
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + i + " outside [0, " + modules.size() + ")");
        }
        return modules.get(i);
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    /** The modules, in order (unmodifiable). */
    public List<Module> modules() {
        return Collections.unmodifiableList(modules);
    }
}
