package org.xnb.tools.bench;

import org.agrona.UnsafeAccess;

/**
 * The machine's one-core memcpy bandwidth, as the yardstick for the data path's throughput:
 * {@code Unsafe.copyMemory} of 64 KiB blocks from one 1 MiB off-heap buffer to another, block by
 * block round the buffers (about the working set of a GSO run: A's pages, the Tx arena, the Rx
 * queue and B's buffers are each of this order, so neither side is favoured by caches).
 */
final class MemcpyBandwidth {
    static final int BLOCK = 64 * 1024;
    static final int BUFFER = 1024 * 1024;

    private MemcpyBandwidth() {
    }

    /** Bytes per second copied by the calling thread over {@code seconds} (after a warm-up of a fifth of it). */
    static double measure(double seconds) {
        long src = UnsafeAccess.UNSAFE.allocateMemory(BUFFER);
        long dst = UnsafeAccess.UNSAFE.allocateMemory(BUFFER);
        try {
            UnsafeAccess.UNSAFE.setMemory(src, BUFFER, (byte) 0x5a);
            UnsafeAccess.UNSAFE.setMemory(dst, BUFFER, (byte) 0);
            run(src, dst, (long) (seconds * 2e8));
            return run(src, dst, (long) (seconds * 1e9));
        } finally {
            UnsafeAccess.UNSAFE.freeMemory(src);
            UnsafeAccess.UNSAFE.freeMemory(dst);
        }
    }

    private static double run(long src, long dst, long nanos) {
        long copied = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int at = 0; at < BUFFER; at += BLOCK) {
                UnsafeAccess.UNSAFE.copyMemory(src + at, dst + at, BLOCK);
            }
            copied += BUFFER;
            now = System.nanoTime();
        } while (now < end);
        return copied * 1e9 / (now - start);
    }
}
