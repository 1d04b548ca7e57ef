package dev.maha.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with a header row, columns padded to their widest cell. */
final class SummaryTable {
    private final List<String[]> rows = new ArrayList<>();

    SummaryTable(String... header) {
        rows.add(header);
    }

    SummaryTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    static String num(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    @Override
    public String toString() {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) w[c] = Math.max(w[c], r[c].length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? String.format("%-" + w[c] + "s", r[c]) : String.format("  %" + w[c] + "s", r[c]));
            }
            sb.append('\n');
            if (i == 0) {
                int total = 0;
                for (int c = 0; c < cols; c++) total += w[c] + (c == 0 ? 0 : 2);
                sb.append("-".repeat(total)).append('\n');
            }
        }
        return sb.toString();
    }
}
