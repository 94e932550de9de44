package org.xnb.harness.netfront;

/** Packets with recognisable bytes, for tests and benchmarks that check or move them. */
public final class Packets {
    private Packets() {
    }

    public static byte[] packet(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 131 + i * 7 + (i >> 8));
        }
        return b;
    }
}
