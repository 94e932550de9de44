package org.xnb.netback.hash;

/**
 * The Toeplitz hash exactly as {@code xen/io/netif.h} defines it ({@code xen_netif_toeplitz_hash},
 * the code under {@code XEN_NETIF_DEFINE_TOEPLITZ}): a 64-bit window over the key slides left one
 * bit per input bit and is XORed into the hash for every 1 bit; the result is the window's upper
 * 32 bits. Key octets past {@code keyLength} count as zero.
 *
 * <p>Bit by bit, so slow (about 8 shifts per input byte): it is the definition that
 * {@link ToeplitzTable} is tested against, not what the data path uses.
 */
public final class ToeplitzReference {

    private ToeplitzReference() {
    }

    /** {@code xen_netif_toeplitz_hash(key, keyLength, data + offset, length)}. */
    public static int hash(byte[] key, int keyLength, byte[] data, int offset, int length) {
        long prefix = 0;
        int keyi;
        for (keyi = 0; keyi < 8; keyi++) {
            prefix = (prefix << 8) | keyOctet(key, keyLength, keyi);
        }
        long hash = 0;
        for (int i = 0; i < length; i++) {
            int octet = data[offset + i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                if ((octet & 0x80) != 0) {
                    hash ^= prefix;
                }
                prefix <<= 1;
                octet <<= 1;
            }
            // the window moved 8 bits: the next key octet enters at the right
            prefix |= keyOctet(key, keyLength, keyi);
            keyi++;
        }
        return (int) (hash >>> 32);
    }

    private static long keyOctet(byte[] key, int keyLength, int i) {
        return i < keyLength ? key[i] & 0xffL : 0;
    }
}
