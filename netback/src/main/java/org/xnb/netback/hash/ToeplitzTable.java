package org.xnb.netback.hash;

import java.util.Arrays;
import org.agrona.UnsafeAccess;

/**
 * The Toeplitz hash of {@code netif.h} for one key, precomputed per input position and octet
 * value: {@code hash = XOR of table[i][data[i]]}, one lookup per input octet instead of eight
 * shift-and-XOR steps. Inputs are at most {@link #MAX_INPUT} octets (an IPv6 + TCP tuple), which
 * with a 32-bit window needs {@code 36 * 8 + 32 = 320} key bits: exactly the 40-octet key Linux
 * accepts ({@code XEN_NETBK_MAX_HASH_KEY_SIZE}).
 *
 * <p>Immutable once built (36 KiB of ints), so any number of threads may hash with it; a new key
 * gets a new table (the control ring builds it off the data path).
 */
public final class ToeplitzTable {
    /** Longest input: IPv6 source + destination address + two ports. */
    public static final int MAX_INPUT = 36;
    /** Longest key ({@code XEN_NETBK_MAX_HASH_KEY_SIZE}). */
    public static final int MAX_KEY = 40;

    /** The key of the Microsoft RSS verification suite, the usual default key of NICs. */
    private static final byte[] STANDARD_KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2,
        0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3, (byte) 0x8f, (byte) 0xb0,
        (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c,
        0x6a, 0x42, (byte) 0xb7, 0x3b, (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa,
    };

    /** The all-zero key (netif.h: the key is empty until the frontend sets one): every hash is 0. */
    public static final ToeplitzTable ZERO = new ToeplitzTable(new byte[0], 0);

    private final int[] table = new int[MAX_INPUT * 256];
    private final byte[] key = new byte[MAX_KEY];

    /** A table for the first {@code keyLength} octets of {@code key} (0..40; the rest zero). */
    public ToeplitzTable(byte[] key, int keyLength) {
        if (keyLength < 0 || keyLength > MAX_KEY || keyLength > key.length) {
            throw new IllegalArgumentException("key length " + keyLength + " (0.." + MAX_KEY + ")");
        }
        System.arraycopy(key, 0, this.key, 0, keyLength);
        int[] windows = new int[8];
        for (int pos = 0; pos < MAX_INPUT; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                windows[bit] = window(this.key, pos * 8 + bit);
            }
            int base = pos * 256;
            for (int octet = 1; octet < 256; octet++) {
                // the octet's MSB (bit 0 of the input stream) selects the window at that bit
                int lowest = Integer.numberOfTrailingZeros(octet);
                table[base + octet] = table[base + (octet & (octet - 1))] ^ windows[7 - lowest];
            }
        }
    }

    /** The table of the Microsoft RSS verification key (40 octets). */
    public static ToeplitzTable standard() {
        return new ToeplitzTable(STANDARD_KEY, STANDARD_KEY.length);
    }

    /** A copy of the Microsoft RSS verification key. */
    public static byte[] standardKey() {
        return STANDARD_KEY.clone();
    }

    /** The key this table was built from, zero-padded to 40 octets (a copy). */
    public byte[] key() {
        return key.clone();
    }

    /** The 32 key bits starting at bit {@code k} (bit 0 = MSB of key[0]). */
    private static int window(byte[] key, int k) {
        long v = 0;
        int first = k >>> 3;
        for (int i = 0; i < 5; i++) {
            int at = first + i;
            v = (v << 8) | (at < key.length ? key[at] & 0xffL : 0);
        }
        return (int) (v >>> (8 - (k & 7)));
    }

    /** The contribution of {@code octet} at input position {@code pos} (0..35). */
    public int term(int pos, int octet) {
        return table[pos * 256 + (octet & 0xff)];
    }

    /** Hash of {@code length} (at most 36) octets of a byte array. */
    public int hash(byte[] data, int offset, int length) {
        checkLength(length);
        int h = 0;
        for (int i = 0; i < length; i++) {
            h ^= table[i * 256 + (data[offset + i] & 0xff)];
        }
        return h;
    }

    /**
     * Continues a hash over {@code length} octets at a native address, as input positions
     * {@code pos..pos+length-1}. Lets a caller hash fields that are not adjacent in a frame
     * (addresses, then ports) without copying them.
     */
    public int hashAt(int h, int pos, long address, int length) {
        int base = pos * 256;
        for (int i = 0; i < length; i++) {
            h ^= table[base + (UnsafeAccess.UNSAFE.getByte(address + i) & 0xff)];
            base += 256;
        }
        return h;
    }

    private static void checkLength(int length) {
        if (length < 0 || length > MAX_INPUT) {
            throw new IllegalArgumentException("input length " + length + " (0.." + MAX_INPUT + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToeplitzTable t && Arrays.equals(key, t.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
