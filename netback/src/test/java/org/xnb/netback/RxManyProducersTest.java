package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.harness.netfront.HarnessHost;

/**
 * {@code RxEngine.offer} from several threads at once (the vif threads of a switch) while
 * {@code doWork} runs on the test thread: every frame arrives intact, each producer's frames in
 * that producer's order, or is counted as a drop; the counters add up exactly (a lost update on
 * a racing counter would break the sum).
 */
class RxManyProducersTest {
    private static final int PRODUCERS = 4;
    private static final int FRAMES_EACH = 60_000;
    private HarnessHost host;
    private MockNetfront front;
    private BackendQueue back;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        back.close();
        front.close();
        host.close();
    }

    @Test
    void framesFromManyThreadsArriveIntactInPerProducerOrderOrAreCountedDrops() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
                    FrameMetadata meta = new FrameMetadata();
                    go.await();
                    for (int seq = 0; seq < FRAMES_EACH; seq++) {
                        int len = 64 + (seq * 37 + producer * 101) % 1400;
                        frame.putInt(0, producer, ByteOrder.LITTLE_ENDIAN);
                        frame.putInt(4, seq, ByteOrder.LITTLE_ENDIAN);
                        frame.putInt(8, len, ByteOrder.LITTLE_ENDIAN);
                        for (int i = 12; i < len; i++) {
                            frame.putByte(i, (byte) (seq + i + producer));
                        }
                        back.rx.offer(frame.addressOffset(), len, meta.reset());
                    }
                } catch (Throwable t2) {
                    failure.set(t2);
                }
            }, "rx-offer-" + p);
            producers.add(t);
            t.start();
        }
        front.postRx(256);
        go.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int[] lastSeq = new int[PRODUCERS];
        java.util.Arrays.fill(lastSeq, -1);
        long received = 0;
        while (producers.stream().anyMatch(Thread::isAlive) || back.rx.queuedFrames() > 0) {
            assertTrue(System.nanoTime() < deadline, "deadline passed");
            back.rx.doWork();
            for (RxSlot s : front.rxResponses()) {
                byte[] b = front.rxData(s.id(), 0, s.status());
                UnsafeBuffer v = new UnsafeBuffer(b);
                int producer = v.getInt(0, ByteOrder.LITTLE_ENDIAN);
                int seq = v.getInt(4, ByteOrder.LITTLE_ENDIAN);
                assertEquals(v.getInt(8, ByteOrder.LITTLE_ENDIAN), s.status(), "length of " + producer + "/" + seq);
                assertTrue(seq > lastSeq[producer], "order of producer " + producer + ": " + seq + " after "
                        + lastSeq[producer]);
                for (int i = 12; i < b.length; i++) {
                    if (b[i] != (byte) (seq + i + producer)) {
                        throw new AssertionError("frame " + producer + "/" + seq + " corrupted at " + i);
                    }
                }
                lastSeq[producer] = seq;
                received++;
            }
            front.postRx(front.rx.freeRequests());
        }
        for (Thread t : producers) {
            t.join();
        }
        assertNull(failure.get());
        assertEquals((long) PRODUCERS * FRAMES_EACH, received + back.rx.counters().droppedQueueFull);
        assertEquals(received, back.rx.counters().enqueued);
        assertEquals(received, back.rx.counters().packets);
        assertTrue(received > 0);
    }
}
