package org.xnb.netback.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.netback.FrameMetadata;
import org.xnb.vnic.tap.TapException;
import org.xnb.vnic.tap.TapQueue;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * The reader's and the sink's own logic without a TAP device (a mocked {@link TapQueue} that
 * "reads" scripted header + frame bytes into the reader's buffer): what reaches the sink, the
 * batch bound, and every drop counter. The real fd path is {@link TapUplinkIT}.
 */
class TapUplinkPortTest {
    private static final int HDR = VirtioNetHeader.SIZE_V1;

    private record Seen(int length, int gsoType, int gsoSize, int checksum, byte firstByte) {
    }

    private final ArrayDeque<byte[]> script = new ArrayDeque<>();
    private final List<Seen> seen = new ArrayList<>();

    private TapQueue scriptedQueue() {
        TapQueue q = mock(TapQueue.class);
        when(q.vnetHeaderSize()).thenReturn(HDR);
        when(q.read(anyLong(), anyInt())).thenAnswer(inv -> {
            byte[] next = script.poll();
            if (next == null) {
                return 0;
            }
            long address = inv.getArgument(0);
            int capacity = inv.getArgument(1);
            int n = Math.min(next.length, capacity); // the kernel truncates to the buffer
            new UnsafeBuffer(address, capacity).putBytes(0, next, 0, n);
            return n;
        });
        return q;
    }

    private static byte[] withHeader(int flags, int gsoType, int gsoSize, byte[] frame) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[HDR + frame.length]);
        VirtioNetHeader.put(b, 0, HDR, flags, gsoType, 54, gsoSize, 34, 16, 1);
        b.putBytes(HDR, frame);
        return b.byteArray();
    }

    private TapUplinkReader reader(int batch) {
        return new TapUplinkReader(scriptedQueue(), (address, length, m) -> seen.add(new Seen(length, m.gsoType(),
                m.gsoSize(), m.checksum(), new UnsafeBuffer(address, length).getByte(0))), batch);
    }

    @Test
    void framesReachTheSinkWithoutTheirHeaderAndWithTranslatedMetadata() {
        byte[] gso = TestFrames.ipv4(TestFrames.TCP, 5, 5, 30000, false, 1);
        byte[] plain = TestFrames.ipv4(TestFrames.UDP, 5, 0, 100, false, 2);
        script.add(withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 1448, gso));
        script.add(withHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, plain));
        TapUplinkReader r = reader(64);

        assertEquals(2, r.doWork());
        assertEquals(new Seen(gso.length, 1, 1448, FrameMetadata.CSUM_BLANK | FrameMetadata.DATA_VALIDATED, gso[0]), seen.get(0));
        assertEquals(new Seen(plain.length, 0, 0, FrameMetadata.DATA_VALIDATED, plain[0]), seen.get(1));
        assertEquals(2, r.counters().frames);
        assertEquals(gso.length + plain.length, r.counters().bytes);
        assertEquals(0, r.doWork(), "empty queue");
    }

    @Test
    void aCallReadsAtMostItsBatch() {
        for (int i = 0; i < 10; i++) {
            script.add(withHeader(0, 0, 0, TestFrames.ipv4(TestFrames.UDP, 5, 0, 10, false, i)));
        }
        TapUplinkReader r = reader(4);
        assertEquals(4, r.doWork());
        assertEquals(4, r.doWork());
        assertEquals(2, r.doWork());
        assertEquals(10, seen.size());
        assertThrows(IllegalArgumentException.class, () -> reader(0));
    }

    @Test
    void dropsAreCountedByReason() {
        script.add(withHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP, 1400, new byte[3000]));
        script.add(withHeader(0, 0, 0, new byte[10]));                           // runt
        script.add(new byte[TapUplinkReader.BUFFER_SIZE + 100]);                 // truncated by the kernel
        script.add(withHeader(0, 0, 0, TestFrames.ipv4(TestFrames.UDP, 5, 0, 10, false, 3)));
        TapUplinkReader r = reader(64);
        assertEquals(4, r.doWork());
        assertEquals(1, seen.size());
        assertEquals(1, r.counters().dropsUnsupportedGso);
        assertEquals(1, r.counters().dropsRunt);
        assertEquals(1, r.counters().dropsTruncated);
        assertEquals(3, r.counters().drops());
    }

    @Test
    void theSinkWritesTheBuiltHeaderAndTheFrameInPlaceAndCountsRefusals() {
        TapQueue q = mock(TapQueue.class);
        when(q.vnetHeaderSize()).thenReturn(HDR);
        byte[] f = TestFrames.ipv4(TestFrames.TCP, 5, 5, 3000, false, 4);
        UnsafeBuffer frame = TestFrames.offHeap(f);
        long[] header = new long[1];
        when(q.writev(anyLong(), eq(frame.addressOffset()), eq(f.length))).thenAnswer(inv -> {
            header[0] = inv.getArgument(0);
            UnsafeBuffer h = new UnsafeBuffer((long) inv.getArgument(0), HDR);
            assertEquals(VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.gsoType(h, 0));
            assertEquals(1448, VirtioNetHeader.gsoSize(h, 0));
            assertEquals(34, VirtioNetHeader.csumStart(h, 0));
            return HDR + f.length;
        }).thenReturn(0).thenThrow(new TapException("writev: Input/output error", 5));
        TapUplinkSink sink = new TapUplinkSink(q);
        FrameMetadata m = new FrameMetadata().gso(VnetHeaderEncoder.XEN_GSO_TCPV4, 1448).checksum(FrameMetadata.CSUM_BLANK);

        sink.onFrame(frame.addressOffset(), f.length, m);
        assertEquals(1, sink.counters().frames);
        assertEquals(f.length, sink.counters().bytes);
        sink.onFrame(frame.addressOffset(), f.length, m); // EAGAIN
        sink.onFrame(frame.addressOffset(), f.length, m); // EIO
        assertEquals(2, sink.counters().dropsTapWrite);
        assertEquals(1, sink.counters().frames);
        // the header area is the sink's own and the same every time
        verify(q, org.mockito.Mockito.times(3)).writev(eq(header[0]), eq(frame.addressOffset()), eq(f.length));

        // a frame refused by the encoder never reaches the fd
        TapQueue untouched = mock(TapQueue.class);
        when(untouched.vnetHeaderSize()).thenReturn(HDR);
        TapUplinkSink strict = new TapUplinkSink(untouched);
        strict.onFrame(frame.addressOffset(), 40, m);
        verify(untouched, never()).writev(anyLong(), anyLong(), anyInt());
        assertEquals(1, strict.counters().dropsChecksumSetup);
    }
}
