package org.xnb.netback.port;

import java.util.function.Predicate;

/**
 * An immutable MAC -> value table (open addressing, linear probing, primitive {@code long} keys),
 * so the switch's hot path reads it through one volatile load with no lock and no boxing. Every
 * change builds a new table (copy-on-write); changes are rare (a new source address, a vif
 * coming or going) compared with lookups (every frame).
 *
 * <pre>
 *  keys[]   : 0 = empty, else mac | 1L << 48 (so the all-zero MAC is a valid key)
 *  values[] : the value of the same slot
 *  capacity : power of two, at least twice the entries (load <= 1/2, probes stay short)
 * </pre>
 */
final class MacTable<T> {
    private static final long PRESENT = 1L << 48;
    private static final MacTable<?> EMPTY = new MacTable<>(new long[16], new Object[16], 0);

    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    private MacTable(long[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <T> MacTable<T> empty() {
        return (MacTable<T>) EMPTY;
    }

    int size() {
        return size;
    }

    /** The value for {@code mac}, or null. Allocation-free. */
    @SuppressWarnings("unchecked")
    T get(long mac) {
        long key = mac | PRESENT;
        for (int i = slot(key), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            long k = keys[i];
            if (k == key) {
                return (T) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
        return null;
    }

    /** A table with {@code mac} -> {@code value} (replacing any previous value). */
    MacTable<T> with(long mac, T value) {
        int capacity = keys.length;
        while (capacity < 2 * (size + 1)) {
            capacity <<= 1;
        }
        MacTable<T> copy = new MacTable<>(new long[capacity], new Object[capacity], 0);
        int n = copy.copyFrom(this, v -> true);
        boolean replaced = copy.get(mac) != null;
        copy.put(mac | PRESENT, value);
        return new MacTable<>(copy.keys, copy.values, replaced ? n : n + 1);
    }

    /** A table without the entries whose value matches {@code drop}. */
    MacTable<T> without(Predicate<T> drop) {
        MacTable<T> copy = new MacTable<>(new long[keys.length], new Object[keys.length], 0);
        int n = copy.copyFrom(this, v -> !drop.test(v));
        return new MacTable<>(copy.keys, copy.values, n);
    }

    @SuppressWarnings("unchecked")
    private int copyFrom(MacTable<T> other, Predicate<T> keep) {
        int n = 0;
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != 0 && keep.test((T) other.values[i])) {
                put(other.keys[i], (T) other.values[i]);
                n++;
            }
        }
        return n;
    }

    /** Only while building a fresh copy. */
    private void put(long key, T value) {
        int i = slot(key);
        while (keys[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
