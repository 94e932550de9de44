package org.xnb.netback.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;

/** The Rx queue's arena: frames never overlap across wraps, and the byte bound holds. */
class RxFrameQueueTest {
    private static final int MAX = 64 * 1024;
    private final UnsafeBuffer source = new UnsafeBuffer(BufferUtil.allocateDirectAligned(70_000, 64));
    private final FrameMetadata meta = new FrameMetadata();

    @Test
    void framesSurviveRandomSizesAndWrapsIntact() {
        RxFrameQueue q = new RxFrameQueue(MAX, 9000, 64);
        Random r = new Random(7);
        ArrayDeque<int[]> expected = new ArrayDeque<>(); // {seed, length}
        int accepted = 0;
        for (int step = 0; step < 20_000; step++) {
            if (r.nextInt(3) != 0) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 200 : 9000);
                int seed = step;
                fill(seed, len);
                boolean ok = q.offer(source.addressOffset(), len, meta.reset().gso(seed & 1, len), 0);
                if (ok) {
                    expected.add(new int[] {seed, len});
                    accepted++;
                }
            } else {
                int n = Math.min(q.size(), r.nextInt(5));
                for (int k = 0; k < n; k++) {
                    int[] e = expected.poll();
                    check(q, k, e[0], e[1]);
                }
                q.release(n);
            }
            assertEquals(expected.size(), q.size());
            assertTrue(q.queuedBytes() < MAX + 9000);
        }
        assertTrue(accepted > 5000, "accepted " + accepted);
    }

    @Test
    void refusesOnceMaxBytesAreQueued() {
        RxFrameQueue q = new RxFrameQueue(10_000, 9000, 64);
        assertTrue(q.offer(source.addressOffset(), 6000, meta.reset(), 0));
        assertTrue(q.offer(source.addressOffset(), 6000, meta, 0), "below the bound: accepted, may overshoot");
        assertFalse(q.offer(source.addressOffset(), 10, meta, 0));
        q.release(1);
        assertTrue(q.offer(source.addressOffset(), 10, meta, 0));
    }

    private void fill(int seed, int len) {
        for (int i = 0; i < len; i++) {
            source.putByte(i, (byte) (seed * 31 + i));
        }
    }

    private static void check(RxFrameQueue q, int n, int seed, int len) {
        int f = q.index(n);
        assertEquals(len, q.length(f));
        assertEquals(seed & 1, q.gsoType(f));
        UnsafeBuffer view = new UnsafeBuffer(q.address(f), len);
        for (int i = 0; i < len; i++) {
            if (view.getByte(i) != (byte) (seed * 31 + i)) {
                throw new AssertionError("frame " + seed + " corrupted at byte " + i);
            }
        }
    }
}
