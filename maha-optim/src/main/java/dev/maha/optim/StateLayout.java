package dev.maha.optim;

import dev.maha.autograd.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The entries an optimizer's state dict must hold, and the strict check of a dict against them.
 *
 * <p>Three kinds of entry: a step counter (an integer scalar, shape {@code []}, value ≥ 0), the
 * learning rate (a floating scalar, shape {@code []}) and per-parameter buffers (exactly the
 * parameter's shape and data type). A dict is accepted only when every expected entry is present
 * with the right kind, shape and type, and no other entry is; otherwise the message lists every
 * problem, naming the entries and the shapes.
 */
final class StateLayout {
    enum Kind { COUNTER, RATE, BUFFER }

    record Entry(String key, Kind kind, DataType dtype, long[] shape) {
        String describe() {
            return switch (kind) {
                case COUNTER -> "an integer scalar, shape []";
                case RATE -> "a floating-point scalar, shape []";
                case BUFFER -> dtype + " " + Shapes.str(shape);
            };
        }
    }

    private static final int MAX_REPORTED = 12;

    private final String optimizer;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    StateLayout(String optimizer) {
        this.optimizer = optimizer;
    }

    void counter(String key) {
        add(new Entry(key, Kind.COUNTER, DataType.LONG, new long[0]));
    }

    void rate(String key) {
        add(new Entry(key, Kind.RATE, DataType.DOUBLE, new long[0]));
    }

    void buffer(String key, DataType dtype, long[] shape) {
        add(new Entry(key, Kind.BUFFER, dtype, shape.clone()));
    }

    private void add(Entry e) {
        if (entries.putIfAbsent(e.key(), e) != null) {
            throw new IllegalArgumentException(optimizer + ": parameter names give two state entries called '" + e.key()
                    + "'; rename a parameter");
        }
    }

    /**
     * Throws an IllegalArgumentException listing every missing, unexpected, mis-shaped or mistyped
     * entry of {@code state}; returns normally when the dict matches the layout exactly.
     */
    void check(Map<String, INDArray> state) {
        if (state == null) throw new IllegalArgumentException(optimizer + ": state dict is null");
        List<String> problems = new ArrayList<>();
        for (Entry e : entries.values()) {
            INDArray a = state.get(e.key());
            if (!state.containsKey(e.key())) {
                problems.add("missing entry '" + e.key() + "' (expected " + e.describe() + ")");
            } else if (a == null) {
                problems.add("entry '" + e.key() + "' is null (expected " + e.describe() + ")");
            } else {
                String p = mismatch(e, a);
                if (p != null) problems.add(p);
            }
        }
        for (Map.Entry<String, INDArray> s : state.entrySet()) {
            if (!entries.containsKey(s.getKey())) {
                INDArray a = s.getValue();
                problems.add("unexpected entry '" + s.getKey() + "'"
                        + (a == null ? "" : " (" + a.dataType() + " " + Shapes.str(a.shape()) + ")"));
            }
        }
        if (problems.isEmpty()) return;
        StringBuilder msg = new StringBuilder(optimizer).append(": cannot load the state dict: ");
        for (int i = 0; i < Math.min(problems.size(), MAX_REPORTED); i++) {
            if (i > 0) msg.append("; ");
            msg.append(problems.get(i));
        }
        if (problems.size() > MAX_REPORTED) msg.append("; and ").append(problems.size() - MAX_REPORTED).append(" more");
        throw new IllegalArgumentException(msg.toString());
    }

    private static String mismatch(Entry e, INDArray a) {
        String got = a.dataType() + " " + Shapes.str(a.shape());
        switch (e.kind()) {
            case COUNTER -> {
                if (a.rank() != 0 || !a.dataType().isIntType()) {
                    return "entry '" + e.key() + "' is " + got + ", expected " + e.describe();
                }
                long v = a.getLong(0);
                if (v < 0) return "entry '" + e.key() + "' = " + v + " must be ≥ 0";
                return null;
            }
            case RATE -> {
                if (a.rank() != 0 || !a.dataType().isFPType()) {
                    return "entry '" + e.key() + "' is " + got + ", expected " + e.describe();
                }
                double v = a.getDouble(0);
                if (!(v >= 0) || Double.isInfinite(v)) return "entry '" + e.key() + "' = " + v + " must be a finite number ≥ 0";
                return null;
            }
            default -> {
                if (!Arrays.equals(a.shape(), e.shape()) || a.dataType() != e.dtype()) {
                    return "entry '" + e.key() + "' is " + got + ", expected " + e.describe() + " like its parameter";
                }
                return null;
            }
        }
    }
}
