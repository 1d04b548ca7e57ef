package dev.maha.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Indexed lists of child modules. */
class ModuleListTest {
    @Test
    void modulesAreNamedByIndexAndIterateInOrder() {
        ModuleList<Linear> list = new ModuleList<>();
        Linear a = list.add(new Linear(2, 3, false, 1));
        Linear b = list.add(new Linear(3, 2, true, 2));
        assertEquals(List.of("0.weight", "1.weight", "1.bias"), List.copyOf(list.namedParameters().keySet()));
        assertSame(b, list.get(1));
        List<Linear> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertEquals(List.of(a, b), seen);
        assertEquals(2, list.size());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
    }

    @Test
    void aListOfBlocksGivesBlocksDotIndexNames() {
        ModuleList<Sequential> blocks = new ModuleList<>(List.of(new Sequential(new Linear(2, 2, true, 1)),
                new Sequential(new Relu(), new Linear(2, 2, false, 2))));
        Module model = new Module() {
            final ModuleList<Sequential> b = registerModule("blocks", blocks);
        };
        assertEquals(List.of("blocks.0.0.weight", "blocks.0.0.bias", "blocks.1.1.weight"),
                List.copyOf(model.namedParameters().keySet()));
    }
}
