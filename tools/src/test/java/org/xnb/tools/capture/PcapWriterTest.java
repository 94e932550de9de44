package org.xnb.tools.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void globalAndRecordHeadersAreLibpcaps() throws Exception {
        Path f = dir.resolve("a.pcap");
        UnsafeBuffer arp = TestFrames.arpRequest();
        UnsafeBuffer big = TestFrames.icmpEcho(7, 300);
        try (PcapWriter w = new PcapWriter(f, 96)) {
            w.write(1_700_000_000_123_456_789L, arp.capacity(), arp, 0, arp.capacity());
            w.write(1_700_000_001_000_000_001L, big.capacity(), big, 0, 96);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.nativeOrder());
        assertEquals(24 + 16 + 42 + 16 + 96, b.remaining());
        assertEquals(0xa1b23c4d, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        assertEquals(0, b.getInt());
        assertEquals(0, b.getInt());
        assertEquals(96, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(1_700_000_000, b.getInt());
        assertEquals(123_456_789, b.getInt());
        assertEquals(42, b.getInt());
        assertEquals(42, b.getInt());
        byte[] got = new byte[42];
        b.get(got);
        assertArrayEquals(arp.byteArray(), got);
        assertEquals(1_700_000_001, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(96, b.getInt());
        assertEquals(342, b.getInt());
    }

    @Test
    void sessionStopsAfterCountAndCountsWhatItCouldNotKeep() throws Exception {
        Path f = dir.resolve("s.pcap");
        UnsafeBuffer arp = TestFrames.arpRequest();
        CaptureSession s = new CaptureSession(f, 128, 8, 3);
        for (int i = 0; i < 3; i++) {
            s.capture(arp, 0, arp.capacity());
        }
        assertEquals(true, s.awaitDone(10, TimeUnit.SECONDS));
        assertEquals(3, s.written());
        // after -c COUNT the lane's capture call returns at once, copying nothing
        assertEquals(false, s.capture(arp, 0, arp.capacity()));
        s.close();
        assertEquals(24 + 3 * (16 + 42), Files.size(f));
    }

    @Test
    void twoLanesOnTwoThreadsLoseNothingWhenTheyWaitForRoom() throws Exception {
        Path f = dir.resolve("lanes.pcap");
        int perLane = 20_000;
        CaptureSession s = new CaptureSession(f, 128, 64, 0, 2);
        Thread[] lanes = new Thread[2];
        for (int l = 0; l < 2; l++) {
            int lane = l;
            lanes[l] = new Thread(() -> {
                for (int i = 0; i < perLane; i++) {
                    UnsafeBuffer frame = TestFrames.icmpEcho(lane * perLane + i, 8);
                    while (!s.capture(lane, frame, 0, frame.capacity())) {
                        Thread.onSpinWait();
                    }
                }
            });
            lanes[l].start();
        }
        for (Thread t : lanes) {
            t.join();
        }
        s.close();
        assertEquals(2L * perLane, s.written());
        // read the file back: every sequence number once, each lane's in order
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.nativeOrder());
        b.position(24);
        boolean[] seen = new boolean[2 * perLane];
        int[] last = {-1, -1};
        while (b.hasRemaining()) {
            b.position(b.position() + 8);
            int incl = b.getInt();
            b.getInt();
            int seq = Short.toUnsignedInt(Short.reverseBytes(b.getShort(b.position() + 18))); // IP id = seq
            int lane = seq / perLane;
            assertEquals(false, seen[seq], "duplicate " + seq);
            seen[seq] = true;
            assertEquals(true, seq > last[lane], "lane order");
            last[lane] = seq;
            b.position(b.position() + incl);
        }
        for (int i = 0; i < seen.length; i++) {
            assertEquals(true, seen[i], "missing " + i);
        }
    }
}
