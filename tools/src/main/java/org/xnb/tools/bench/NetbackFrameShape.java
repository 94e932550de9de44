package org.xnb.tools.bench;

import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.Packets;

/**
 * One row's frame as guest A's netfront posts it: {@code bytes} split into page-sized Tx slots
 * (each in its own granted data page, written once), and for GSO a GSO extra after the first slot
 * with the checksum-blank/data-validated flags a Linux netfront sets on a TSO packet.
 *
 * <pre>
 *   64 B / 1514 B:   [slot 0: size = bytes]
 *   64 KiB GSO:      [slot 0: size = 65535, more_data|extra_info|csum_blank|data_validated, 4096 B]
 *                    [GSO extra: TCPv4, gso_size 1448]
 *                    [slot 1..15: 4096 B ... last 4095 B, more_data on all but the last]
 * </pre>
 */
final class NetbackFrameShape {
    /** The largest frame a netif Tx request can announce ({@code size} is 16 bits). */
    static final int GSO_FRAME_BYTES = 0xffff;
    static final int GSO_MSS = 1448;

    final String name;
    final int bytes;
    final boolean gso;
    /** Ring slots per frame: data slots plus the GSO extra. */
    final int ringSlots;
    private final int[] sizes;
    private final int[] refs;
    private final byte[] packet;
    private int nextId;

    NetbackFrameShape(String name, int bytes, boolean gso, MockNetfront a) {
        if (bytes < 14 || bytes > GSO_FRAME_BYTES || (!gso && bytes > XenPage.SIZE)) {
            throw new IllegalArgumentException("frame of " + bytes + " bytes");
        }
        this.name = name;
        this.bytes = bytes;
        this.gso = gso;
        int slots = (bytes + XenPage.SIZE - 1) / XenPage.SIZE;
        this.sizes = new int[slots];
        this.refs = new int[slots];
        this.packet = Packets.packet(bytes, bytes);
        AtomicBuffer memory = a.memory;
        for (int i = 0; i < slots; i++) {
            sizes[i] = Math.min(XenPage.SIZE, bytes - i * XenPage.SIZE);
            int frame = a.takeTxFrame();
            memory.putBytes(MockNetfront.txFrameOffset(frame), packet, i * XenPage.SIZE, sizes[i]);
            refs[i] = a.txRef(frame);
        }
        this.ringSlots = slots + (gso ? 1 : 0);
        if (ringSlots > Netif.TX_RING_SIZE / 2) {
            throw new IllegalArgumentException(ringSlots + " slots per frame");
        }
    }

    /** The frame's bytes (a copy). */
    byte[] packet() {
        return packet.clone();
    }

    /** Writes one frame's requests at guest A's req_prod_pvt (not pushed). Allocates nothing. */
    void post(MockNetfront a) {
        for (int i = 0; i < sizes.length; i++) {
            int flags = i < sizes.length - 1 ? NetTxFlags.MORE_DATA : 0;
            if (i == 0 && gso) {
                flags |= NetTxFlags.EXTRA_INFO | NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED;
            }
            a.postTx(refs[i], 0, flags, nextId, i == 0 ? bytes : sizes[i]);
            nextId = (nextId + 1) & 0xffff;
            if (i == 0 && gso) {
                a.postGso(0, GSO_MSS, ExtraInfo.GSO_TYPE_TCPV4);
            }
        }
    }
}
