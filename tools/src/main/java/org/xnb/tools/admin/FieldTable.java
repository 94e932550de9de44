package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * dladm's output (illumos libofmt): for people, a header and left-aligned columns as wide as their
 * longest value plus one space, the last one unpadded; with {@code -p} (which needs {@code -o}) no
 * header and the fields joined by {@code :}, a {@code :} or {@code \} inside a value escaped with
 * {@code \} when more than one field is printed. A missing value prints as {@code --}.
 */
public final class FieldTable {
    private FieldTable() {
    }

    /**
     * The fields {@code -o} names ({@code all} = every field; null = the defaults).
     *
     * @throws IllegalArgumentException naming the unknown field and the allowed ones
     */
    public static List<String> select(String spec, List<String> allowed, List<String> defaults) {
        if (spec == null) {
            return defaults;
        }
        if (spec.equalsIgnoreCase("all")) {
            return allowed;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String f : spec.split(",", -1)) {
            String name = f.trim().toUpperCase(java.util.Locale.ROOT);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("-o: unknown field '" + f + "'; allowed: "
                        + String.join(",", allowed) + " or all");
            }
            if (!out.add(name)) {
                throw new IllegalArgumentException("-o: field '" + f + "' given twice");
            }
        }
        return new ArrayList<>(out);
    }

    public static String format(List<String> fields, List<Map<String, String>> rows, boolean parseable) {
        StringBuilder sb = new StringBuilder();
        if (parseable) {
            for (Map<String, String> row : rows) {
                for (int i = 0; i < fields.size(); i++) {
                    String v = value(row, fields.get(i));
                    sb.append(i > 0 ? ":" : "").append(fields.size() > 1 ? escape(v) : v);
                }
                sb.append('\n');
            }
            return sb.toString();
        }
        int[] widths = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            widths[i] = fields.get(i).length();
            for (Map<String, String> row : rows) {
                widths[i] = Math.max(widths[i], value(row, fields.get(i)).length());
            }
        }
        line(sb, fields, widths);
        for (Map<String, String> row : rows) {
            List<String> values = new ArrayList<>();
            for (String f : fields) {
                values.add(value(row, f));
            }
            line(sb, values, widths);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> values, int[] widths) {
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            sb.append(v);
            if (i < values.size() - 1) {
                sb.append(" ".repeat(widths[i] - v.length() + 1));
            }
        }
        sb.append('\n');
    }

    private static String value(Map<String, String> row, String field) {
        String v = row.get(field);
        return v == null || v.isEmpty() ? "--" : v;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace(":", "\\:");
    }
}
