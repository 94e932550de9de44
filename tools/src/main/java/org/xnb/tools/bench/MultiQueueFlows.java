package org.xnb.tools.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.hash.FrameHash;

/**
 * The frames of {@code xnb bench multiqueue}: {@code flows} UDP/IPv4 flows from guest A
 * (198.18.0.1) to guest B (198.18.0.2), port 5201, each with its own source port, so each is its
 * own 5-tuple. Flow {@code i} is sent on A's queue {@code i % queues} (as a netfront picks its Tx
 * queue by the flow's hash) and its source port is chosen so that netback's default hash
 * ({@link FrameHash#spread}, what steers frames to a guest without a control ring) puts it on
 * B's queue {@code i % queues} too: flows spread evenly, and queue q's guest thread sees its own
 * flows come back.
 *
 * <p>Each frame carries its flow number (2 bytes), its row (2 bytes) and a sequence number (8 bytes) in the UDP
 * payload, so the receiver checks order within a flow and, on a sample, every byte.
 */
final class MultiQueueFlows {
    static final int ETH = 14;
    static final int UDP_PAYLOAD = ETH + 20 + 8;
    static final int FLOW_AT = UDP_PAYLOAD;
    /** Which row sent the frame: a frame left over from an earlier row is recognised, not miscounted. */
    static final int ROW_AT = UDP_PAYLOAD + 2;
    static final int SEQ_AT = UDP_PAYLOAD + 4;
    static final int FIRST_PORT = 10_000;

    final int frameBytes;
    final int queues;
    final short row;
    /** One template per flow (its sequence number field 0), in direct memory (for the hash). */
    final UnsafeBuffer[] templates;
    final int[] sourcePorts;

    MultiQueueFlows(int row, int flows, int queues, int frameBytes, long srcMac, long dstMac) {
        this.row = (short) row;
        if (frameBytes < SEQ_AT + 8 || frameBytes > 1514) {
            throw new IllegalArgumentException("frame of " + frameBytes + " bytes");
        }
        this.frameBytes = frameBytes;
        this.queues = queues;
        templates = new UnsafeBuffer[flows];
        sourcePorts = new int[flows];
        int port = FIRST_PORT;
        for (int i = 0; i < flows; i++) {
            UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(frameBytes));
            for (; ; port++) {
                if (port > 65_535) {
                    throw new IllegalStateException("no source port puts flow " + i + " on queue " + i % queues);
                }
                write(frame, srcMac, dstMac, port, i);
                if (queueOf(frame) == i % queues) {
                    break;
                }
            }
            templates[i] = frame;
            sourcePorts[i] = port++;
        }
    }

    /** The queue of B netback's default steering picks for {@code frame}. */
    int queueOf(UnsafeBuffer frame) {
        return queues == 1 ? 0 : Integer.remainderUnsigned(FrameHash.spread(frame.addressOffset(), frameBytes), queues);
    }

    private void write(UnsafeBuffer f, long srcMac, long dstMac, int sport, int flow) {
        f.setMemory(0, frameBytes, (byte) 0);
        putMac(f, 0, dstMac);
        putMac(f, 6, srcMac);
        f.putShort(12, (short) 0x0800, ByteOrder.BIG_ENDIAN);
        int ip = ETH;
        f.putByte(ip, (byte) 0x45);
        f.putShort(ip + 2, (short) (frameBytes - ETH), ByteOrder.BIG_ENDIAN);
        f.putShort(ip + 6, (short) 0x4000, ByteOrder.BIG_ENDIAN); // DF
        f.putByte(ip + 8, (byte) 64);
        f.putByte(ip + 9, (byte) 17);
        f.putInt(ip + 12, 0xc6120001, ByteOrder.BIG_ENDIAN);
        f.putInt(ip + 16, 0xc6120002, ByteOrder.BIG_ENDIAN);
        f.putShort(ip + 10, (short) ipChecksum(f, ip), ByteOrder.BIG_ENDIAN);
        int udp = ip + 20;
        f.putShort(udp, (short) sport, ByteOrder.BIG_ENDIAN);
        f.putShort(udp + 2, (short) 5201, ByteOrder.BIG_ENDIAN);
        f.putShort(udp + 4, (short) (frameBytes - udp), ByteOrder.BIG_ENDIAN); // checksum 0: none (IPv4)
        f.putShort(FLOW_AT, (short) flow, ByteOrder.BIG_ENDIAN);
        f.putShort(ROW_AT, row, ByteOrder.BIG_ENDIAN);
        for (int i = SEQ_AT + 8; i < frameBytes; i++) {
            f.putByte(i, (byte) (i * 31 + flow));
        }
    }

    private static void putMac(UnsafeBuffer f, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            f.putByte(at + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }

    private static int ipChecksum(UnsafeBuffer f, int at) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += f.getShort(at + i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** Whether {@code got} (length {@code length}) is flow {@code flow}'s frame with sequence number {@code seq}, byte for byte. */
    boolean intact(UnsafeBuffer got, int length, int flow, long seq) {
        if (length != frameBytes || got.getLong(SEQ_AT) != seq) {
            return false;
        }
        UnsafeBuffer t = templates[flow];
        for (int i = 0; i < SEQ_AT; i++) {
            if (got.getByte(i) != t.getByte(i)) {
                return false;
            }
        }
        for (int i = SEQ_AT + 8; i < frameBytes; i++) {
            if (got.getByte(i) != t.getByte(i)) {
                return false;
            }
        }
        return true;
    }
}
