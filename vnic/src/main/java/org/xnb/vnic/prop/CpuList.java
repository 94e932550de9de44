package org.xnb.vnic.prop;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The {@code cpus} property: the CPUs a link's lane threads may run on, written as a list of
 * numbers and ranges ({@code 0,2-3}). Each CPU must exist ({@code 0 .. available-1}); duplicates
 * and overlapping ranges are refused, as dladm refuses a CPU listed twice.
 */
public final class CpuList {
    private final int[] cpus;

    private CpuList(int[] cpus) {
        this.cpus = cpus;
    }

    /**
     * Parses a CPU list.
     *
     * @param availableCpus how many CPUs the machine has (e.g. {@code Runtime.availableProcessors()})
     */
    public static CpuList parse(String text, int availableCpus) {
        String allowed = "allowed: CPU numbers 0-" + (availableCpus - 1) + " as a list with ranges, e.g. 0,2-3";
        if (text == null || text.isEmpty()) {
            throw new PropertyException("cpus: empty list; " + allowed);
        }
        BitSet set = new BitSet();
        for (String part : text.split(",", -1)) {
            int dash = part.indexOf('-');
            int from;
            int to;
            if (dash < 0) {
                from = number(part, text, allowed);
                to = from;
            } else {
                from = number(part.substring(0, dash), text, allowed);
                to = number(part.substring(dash + 1), text, allowed);
                if (to < from) {
                    throw new PropertyException("cpus: range '" + part + "' runs backwards; write it low-high");
                }
            }
            if (to >= availableCpus) {
                throw new PropertyException("cpus: CPU " + to + " does not exist; " + allowed);
            }
            for (int c = from; c <= to; c++) {
                if (set.get(c)) {
                    throw new PropertyException("cpus: CPU " + c + " is listed more than once in '" + text + "'");
                }
                set.set(c);
            }
        }
        return new CpuList(set.stream().toArray());
    }

    private static int number(String s, String text, String allowed) {
        if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(Character::isDigit)) {
            throw new PropertyException("cpus: '" + s + "' in '" + text + "' is not a CPU number; " + allowed);
        }
        return Integer.parseInt(s);
    }

    /** The CPUs, ascending, each once. */
    public int[] cpus() {
        return cpus.clone();
    }

    public int size() {
        return cpus.length;
    }

    public int cpu(int i) {
        return cpus[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuList c && Arrays.equals(c.cpus, cpus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus);
    }

    /** Compact form with ranges, as dladm show-linkprop prints it: {@code 0,2-3}. */
    @Override
    public String toString() {
        return format(cpus);
    }

    /** {@code ascending} CPU numbers (each once) in the compact form of {@link #toString()}. */
    public static String format(int[] ascending) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ascending.length; ) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ascending[i]);
            if (j > i) {
                sb.append('-').append(ascending[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
