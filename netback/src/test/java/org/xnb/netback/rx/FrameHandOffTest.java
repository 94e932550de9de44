package org.xnb.netback.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;

class FrameHandOffTest {
    private record Seen(byte[] bytes, int gsoType, int gsoSize, int checksum) {
    }

    private static UnsafeBuffer frame(int length, int seed) {
        UnsafeBuffer b = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(64, length), 64));
        for (int i = 0; i < length; i++) {
            b.putByte(i, (byte) (seed + i));
        }
        return b;
    }

    @Test
    void framesCrossWithTheirBytesAndMetadataOldestFirstAtMostMaxPerDrain() {
        FrameHandOff h = new FrameHandOff(1 << 16, 16);
        FrameMetadata m = new FrameMetadata();
        assertTrue(h.offer(frame(60, 1).addressOffset(), 60, m.reset()));
        assertTrue(h.offer(frame(1514, 2).addressOffset(), 1514, m.reset().gso(1, 1448).checksum(FrameMetadata.CSUM_BLANK)));
        assertTrue(h.offer(frame(100, 3).addressOffset(), 100, m.reset().checksum(FrameMetadata.DATA_VALIDATED)));
        List<Seen> seen = new ArrayList<>();
        UnsafeBuffer view = new UnsafeBuffer(0, 0);
        assertEquals(2, h.drain((a, l, md) -> {
            view.wrap(a, l);
            byte[] b = new byte[l];
            view.getBytes(0, b);
            seen.add(new Seen(b, md.gsoType(), md.gsoSize(), md.checksum()));
        }, 2));
        assertEquals(1, h.size());
        assertEquals(60, seen.get(0).bytes().length);
        assertEquals(1, seen.get(0).bytes()[0]);
        assertEquals(new Seen(seen.get(1).bytes(), 1, 1448, FrameMetadata.CSUM_BLANK), seen.get(1));
        assertEquals(2, seen.get(1).bytes()[0]);
        assertEquals((byte) (2 + 1513), seen.get(1).bytes()[1513]);
        assertEquals(1, h.drain((a, l, md) -> seen.add(new Seen(new byte[l], md.gsoType(), md.gsoSize(), md.checksum())), 64));
        assertEquals(FrameMetadata.DATA_VALIDATED, seen.get(2).checksum());
        assertEquals(0, h.drain((a, l, md) -> seen.add(null), 64));
        assertEquals(0, h.dropped());
    }

    @Test
    void aFullHandOffDropsAndCountsAndAPurgeEmptiesIt() {
        FrameHandOff h = new FrameHandOff(4096, 8);
        UnsafeBuffer f = frame(1000, 0);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (h.offer(f.addressOffset(), 1000, new FrameMetadata())) {
                accepted++;
            }
        }
        assertEquals(5, accepted, "refused once 4096 bytes wait: 5 x 1000 (the bound is checked before each frame)");
        assertEquals(5, h.dropped());
        assertFalse(h.offer(f.addressOffset(), RxEngine.MAX_FRAME_BYTES + 1, new FrameMetadata()), "too big");
        assertEquals(6, h.dropped());
        assertEquals(5, h.purge());
        assertEquals(0, h.size());
        assertTrue(h.offer(f.addressOffset(), 1000, new FrameMetadata()), "room again after the purge");
    }

    @Test
    void fourProducersAtOnceEachFrameIntactInItsProducersOrderAndDeliveredPlusDroppedEqualsSent() throws Exception {
        FrameHandOff h = new FrameHandOff(1 << 16, 1024);
        int producers = 4;
        int perProducer = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                UnsafeBuffer f = new UnsafeBuffer(BufferUtil.allocateDirectAligned(128, 64));
                FrameMetadata m = new FrameMetadata();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int s = 0; s < perProducer; s++) {
                    int len = 64 + (s % 64);
                    f.putInt(0, id);
                    f.putInt(4, s);
                    for (int i = 8; i < len; i++) {
                        f.putByte(i, (byte) (id * 31 + s + i));
                    }
                    h.offer(f.addressOffset(), len, m.reset().gso(0, s & 0xffff));
                }
            });
            threads.add(t);
            t.start();
        }
        int[] next = new int[producers];
        long[] delivered = {0};
        UnsafeBuffer view = new UnsafeBuffer(0, 0);
        start.countDown();
        Thread waiter = new Thread(() -> {
            threads.forEach(t -> {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            done.set(true);
        });
        waiter.start();
        while (true) {
            boolean finished = done.get();
            int n = h.drain((a, l, md) -> {
                view.wrap(a, l);
                int id = view.getInt(0);
                int s = view.getInt(4);
                assertTrue(s >= next[id], "producer " + id + " out of order: " + s + " after " + next[id]);
                next[id] = s + 1;
                assertEquals(64 + (s % 64), l);
                assertEquals(s & 0xffff, md.gsoSize());
                for (int i = 8; i < l; i++) {
                    assertEquals((byte) (id * 31 + s + i), view.getByte(i));
                }
                delivered[0]++;
            }, 256);
            if (finished && n == 0 && h.size() == 0) {
                break;
            }
        }
        assertEquals((long) producers * perProducer, delivered[0] + h.dropped());
        assertTrue(delivered[0] > 0);
    }
}
