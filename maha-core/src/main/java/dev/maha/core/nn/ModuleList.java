package dev.maha.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An indexed list of child modules (PyTorch's {@code nn.ModuleList}), for stacks of blocks whose
 * forward is not a simple chain: registered as {@code "blocks"}, the parameters of block 0's
 * {@code attn.q} are {@code blocks.0.attn.q.weight}. It has no forward of its own.
 *
 * @param <M> the type of the modules
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    /** An empty list. */
    public ModuleList() {
    }

    /** A list of the given modules, registered as "0", "1", .... */
    public ModuleList(List<? extends M> modules) {
        for (M m : modules) add(m);
    }

    /** Appends a module, registered under its index. Returns it. */
    public <T extends M> T add(T module) {
        registerModule(Integer.toString(modules.size()), module);
        modules.add(module);
        return module;
    }

    /** The {@code i}-th module. */
    public M get(int i) {
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + i + " outside [0, " + modules.size() + ")");
        }
        return modules.get(i);
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<M> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }
}
