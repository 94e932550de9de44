package org.xnb.tools.usage;

/**
 * Columns printed the way illumos libofmt's {@code ofmt_print_field} prints them (human form):
 * each field left-aligned in its width, the last one unpadded; a value that does not fit is
 * followed by one space and the overflow is taken back from the next fields' padding. An empty
 * value prints as {@code --}.
 */
final class OfmtTable {
    private final int[] widths;
    private final StringBuilder out = new StringBuilder();

    OfmtTable(int... widths) {
        this.widths = widths.clone();
    }

    OfmtTable row(String... values) {
        if (values.length != widths.length) {
            throw new IllegalArgumentException(values.length + " values for " + widths.length + " columns");
        }
        int overflow = 0;
        for (int i = 0; i < values.length; i++) {
            String v = values[i].isEmpty() ? "--" : values[i];
            if (i == values.length - 1) {
                out.append(v);
                break;
            }
            int width = widths[i];
            if (v.length() + overflow >= width) {
                overflow += v.length() - width + 1;
                out.append(v).append(' ');
                continue;
            }
            if (overflow > 0) {
                int compress = Math.min(overflow, width - v.length());
                overflow -= compress;
                width -= compress;
            }
            out.append(v);
            out.append(" ".repeat(width - v.length()));
        }
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
