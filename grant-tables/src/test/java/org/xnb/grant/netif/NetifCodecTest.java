package org.xnb.grant.netif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Bytes on the wire for each struct, written out by hand from netif.h's diagrams. */
class NetifCodecTest {
    private final UnsafeBuffer slot = new UnsafeBuffer(new byte[32]);

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private byte[] slotBytes(int length) {
        byte[] b = new byte[length];
        slot.getBytes(0, b);
        return b;
    }

    @Test
    void txRequestFromBytes() {
        slot.putBytes(0, bytes(0x78, 0x56, 0x34, 0x12, 0x00, 0x0f, 0x0d, 0x00, 0x34, 0x12, 0xea, 0x05));
        TxRequest r = new TxRequest().readFrom(slot, 0);
        assertEquals(0x12345678, r.gref());
        assertEquals(0x0f00, r.offset());
        assertEquals(NetTxFlags.CSUM_BLANK | NetTxFlags.MORE_DATA | NetTxFlags.EXTRA_INFO, r.flags());
        assertTrue(r.hasFlag(NetTxFlags.EXTRA_INFO));
        assertEquals(0x1234, r.id());
        assertEquals(1514, r.size());
    }

    @Test
    void txRequestToBytes() {
        new TxRequest().set(0xfffffffe, 4095, NetTxFlags.DATA_VALIDATED, 0xffff, 60).writeTo(slot, 0);
        assertArrayEquals(bytes(0xfe, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x02, 0x00, 0xff, 0xff, 60, 0), slotBytes(12));
    }

    @Test
    void txResponseOccupiesFourBytesOfTheSlot() {
        slot.setMemory(0, 12, (byte) 0x55);
        TxResponse.write(slot, 0, 0x0102, Netif.RSP_DROPPED);
        assertArrayEquals(bytes(0x02, 0x01, 0xfe, 0xff, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55),
                slotBytes(12));
        TxResponse r = new TxResponse().readFrom(slot, 0);
        assertEquals(0x0102, r.id());
        assertEquals(-2, r.status());
    }

    @Test
    void gsoExtra() {
        slot.setMemory(0, 12, (byte) 0x55);
        ExtraInfo.writeGso(slot, 0, ExtraInfo.FLAG_MORE, 1448, ExtraInfo.GSO_TYPE_TCPV6, 0);
        assertArrayEquals(bytes(1, 1, 0xa8, 0x05, 2, 0, 0, 0, 0x55, 0x55, 0x55, 0x55), slotBytes(12));
        ExtraInfo e = new ExtraInfo().readFrom(slot, 0);
        assertEquals(ExtraInfo.TYPE_GSO, e.type());
        assertTrue(e.more());
        assertEquals(1448, e.gsoSize());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV6, e.gsoType());
        assertEquals(0, e.gsoPad());
        assertEquals(0, e.gsoFeatures());
    }

    @Test
    void multicastExtraKeepsAddressInWireOrder() {
        ExtraInfo.writeMcast(slot, 0, ExtraInfo.TYPE_MCAST_ADD, 0, 0x01005e0000fbL);
        assertArrayEquals(bytes(2, 0, 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb), slotBytes(8));
        assertEquals(0x01005e0000fbL, new ExtraInfo().readFrom(slot, 0).mcastAddress());
        assertThrows(IllegalArgumentException.class,
                () -> ExtraInfo.writeMcast(slot, 0, ExtraInfo.TYPE_GSO, 0, 1L));
    }

    @Test
    void hashExtraValueIsLittleEndian() {
        ExtraInfo.writeHash(slot, 0, 0, NetifCtrl.HASH_TYPE_IPV4_TCP_BIT, NetifCtrl.HASH_ALGORITHM_TOEPLITZ, 0xa1b2c3d4);
        assertArrayEquals(bytes(4, 0, 1, 1, 0xd4, 0xc3, 0xb2, 0xa1), slotBytes(8));
        ExtraInfo e = new ExtraInfo().readFrom(slot, 0);
        assertEquals(NetifCtrl.HASH_TYPE_IPV4_TCP_BIT, e.hashType());
        assertEquals(NetifCtrl.HASH_ALGORITHM_TOEPLITZ, e.hashAlgorithm());
        assertEquals(0xa1b2c3d4, e.hashValue());
    }

    @Test
    void rxRequestAndResponse() {
        slot.putBytes(0, bytes(0x05, 0x01, 0xee, 0xee, 0x10, 0x20, 0x30, 0x40));
        RxRequest q = new RxRequest().readFrom(slot, 0);
        assertEquals(0x0105, q.id());
        assertEquals(0x40302010, q.gref());
        RxRequest.write(slot, 0, 7, 9);
        assertArrayEquals(bytes(7, 0, 0, 0, 9, 0, 0, 0), slotBytes(8));

        RxResponse.write(slot, 0, 0x0105, 66, NetRxFlags.DATA_VALIDATED | NetRxFlags.MORE_DATA, 1448);
        assertArrayEquals(bytes(0x05, 0x01, 66, 0, 5, 0, 0xa8, 0x05), slotBytes(8));
        RxResponse.write(slot, 0, 1, 0, 0, Netif.RSP_ERROR);
        RxResponse r = new RxResponse().readFrom(slot, 0);
        assertEquals(-1, r.status());
        assertArrayEquals(bytes(1, 0, 0, 0, 0, 0, 0xff, 0xff), slotBytes(8));
    }

    @Test
    void ctrlRequestAndResponse() {
        CtrlRequest.write(slot, 0, 3, NetifCtrl.TYPE_SET_HASH_MAPPING, 0x11, 0xfffffff0, 0x22);
        assertArrayEquals(bytes(3, 0, 6, 0, 0x11, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff, 0x22, 0, 0, 0), slotBytes(16));
        CtrlRequest q = new CtrlRequest().readFrom(slot, 0);
        assertEquals(3, q.id());
        assertEquals(NetifCtrl.TYPE_SET_HASH_MAPPING, q.type());
        assertEquals(0x11, q.data(0));
        assertEquals(0xfffffff0, q.data(1));
        assertEquals(0x22, q.data(2));
        assertThrows(IndexOutOfBoundsException.class, () -> q.data(3));

        slot.setMemory(0, 16, (byte) 0x55);
        CtrlResponse.write(slot, 0, 3, NetifCtrl.TYPE_GET_HASH_FLAGS, NetifCtrl.STATUS_SUCCESS, 0xf);
        assertArrayEquals(bytes(3, 0, 1, 0, 0, 0, 0, 0, 0xf, 0, 0, 0, 0x55, 0x55, 0x55, 0x55), slotBytes(16));
        CtrlResponse r = new CtrlResponse().readFrom(slot, 0);
        assertEquals(NetifCtrl.TYPE_GET_HASH_FLAGS, r.type());
        assertEquals(0xf, r.data());
    }

    @Test
    void ringSizes() {
        assertEquals(256, Netif.TX_RING_SIZE);
        assertEquals(256, Netif.RX_RING_SIZE);
        assertEquals(128, Netif.CTRL_RING_SIZE);
    }
}
