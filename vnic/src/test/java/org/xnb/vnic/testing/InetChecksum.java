package org.xnb.vnic.testing;

import org.agrona.DirectBuffer;

/** The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words. */
public final class InetChecksum {
    private InetChecksum() {
    }

    /** Checksum of {@code length} bytes at {@code offset}, ready to store big-endian. */
    public static int compute(DirectBuffer b, int offset, int length) {
        return fold(sum(b, offset, length, 0));
    }

    /** True when the bytes, checksum field included, sum to 0xffff (i.e. the checksum is right). */
    public static boolean verify(DirectBuffer b, int offset, int length) {
        return compute(b, offset, length) == 0;
    }

    /** Adds big-endian 16-bit words (an odd last byte padded with zero) to {@code acc}. */
    public static long sum(DirectBuffer b, int offset, int length, long acc) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            acc += ((b.getByte(offset + i) & 0xff) << 8) | (b.getByte(offset + i + 1) & 0xff);
        }
        if (i < length) {
            acc += (b.getByte(offset + i) & 0xff) << 8;
        }
        return acc;
    }

    /** Folds carries and complements: the value to put in a checksum field. */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) (~acc & 0xffff);
    }
}
