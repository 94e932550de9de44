package org.xnb.vnic.stub;

import java.util.function.BiConsumer;

/**
 * An immutable {@code long -> V} table (open addressing, linear probing, primitive keys): lookups
 * from the per-frame path cost a few array reads, no boxing, no allocation, no lock. Built once by
 * {@link Builder} per change (copy-on-write) and published through a volatile field.
 *
 * <pre>
 *  keys[i]   0 = empty, else key | PRESENT (so key 0 is valid)
 *  values[i] the value of slot i
 *  capacity  power of two >= 2 x entries (load <= 1/2: short probes)
 * </pre>
 */
final class LongTable<V> {
    private static final long PRESENT = 1L << 62;
    private static final LongTable<?> EMPTY = new LongTable<>(new long[2], new Object[2], 0);
    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    private LongTable(long[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> LongTable<V> empty() {
        return (LongTable<V>) EMPTY;
    }

    /** The value for {@code key} (at most 62 bits), or null. Allocation-free. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        long k = key | PRESENT;
        for (int i = slot(k, mask), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            long at = keys[i];
            if (at == k) {
                return (V) values[i];
            }
            if (at == 0) {
                return null;
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<Long, V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(keys[i] & ~PRESENT, (V) values[i]);
            }
        }
    }

    private static int slot(long k, int mask) {
        return (int) (k * 0x9E3779B97F4A7C15L >>> 40) & mask;
    }

    /** Collects entries (control path), then builds the table. */
    static final class Builder<V> {
        private final java.util.LinkedHashMap<Long, V> entries = new java.util.LinkedHashMap<>();

        Builder<V> put(long key, V value) {
            if ((key & ~(PRESENT - 1)) != 0) {
                throw new IllegalArgumentException("key 0x" + Long.toHexString(key) + " wider than 62 bits");
            }
            entries.put(key, value);
            return this;
        }

        V get(long key) {
            return entries.get(key);
        }

        LongTable<V> build() {
            if (entries.isEmpty()) {
                return empty();
            }
            int capacity = 2;
            while (capacity < 2 * entries.size()) {
                capacity <<= 1;
            }
            long[] keys = new long[capacity];
            Object[] values = new Object[capacity];
            int mask = capacity - 1;
            for (var e : entries.entrySet()) {
                long k = e.getKey() | PRESENT;
                int i = slot(k, mask);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = e.getValue();
            }
            return new LongTable<>(keys, values, entries.size());
        }
    }
}
