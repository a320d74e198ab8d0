package org.latentlab.plot;

import java.util.List;

/**
 * Builds the CSV behind a plot: a header row, then one row per record. Numbers are written with
 * {@link Double#toString(double)} / {@link Float#toString(float)}, the shortest text that parses back to
 * the same value, so the file round-trips exactly; text cells are quoted when they hold a comma, quote
 * or line break (RFC 4180).
 */
final class Csv {
    private final StringBuilder out = new StringBuilder();
    private final int columns;

    Csv(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV needs at least one column");
        }
        columns = header.size();
        appendRow(header.toArray());
    }

    /** Appends one row; it must have as many cells as the header. */
    Csv row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalStateException("CSV row has " + cells.length + " cells but the header has " + columns);
        }
        appendRow(cells);
        return this;
    }

    /** Appends {@code prefix} followed by every value of {@code values}. */
    Csv row(List<Object> prefix, float[] values) {
        if (prefix.size() + values.length != columns) {
            throw new IllegalStateException(
                    "CSV row has " + (prefix.size() + values.length) + " cells but the header has " + columns);
        }
        boolean first = true;
        for (Object p : prefix) {
            if (!first) {
                out.append(',');
            }
            out.append(cell(p));
            first = false;
        }
        for (float v : values) {
            if (!first) {
                out.append(',');
            }
            out.append(Float.toString(v));
            first = false;
        }
        out.append('\n');
        return this;
    }

    private void appendRow(Object[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells[i]));
        }
        out.append('\n');
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.toString(d);
        }
        if (v instanceof Float f) {
            return Float.toString(f);
        }
        String s = v.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** Column names {@code prefix0 .. prefix(n-1)}. */
    static List<String> numbered(String prefix, int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = prefix + i;
        }
        return List.of(names);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
