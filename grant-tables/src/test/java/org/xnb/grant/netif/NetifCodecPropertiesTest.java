package org.xnb.grant.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Round trips for every codec, and each written slot compared with the same struct laid out
 * field by field through a little-endian {@link ByteBuffer} at the documented offsets.
 * Properties run under QuickTheories; two 16-bit fields are often drawn as one random int and
 * split, so every combination of values stays reachable with at most four sources.
 */
class NetifCodecPropertiesTest {


    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void assertSlot(ByteBuffer expected, UnsafeBuffer actual, int length) {
        byte[] got = new byte[length];
        actual.getBytes(0, got);
        assertEquals(java.util.HexFormat.of().formatHex(expected.array(), 0, length),
                java.util.HexFormat.of().formatHex(got));
    }

    @Test
    void txRequestProperty() {
        qt().forAll(integers().all(), integers().all(), integers().all())
                .checkAssert((gref, offsetFlags, idSize) -> txRequest(gref, offsetFlags & 0xffff, offsetFlags >>> 16, idSize & 0xffff, idSize >>> 16));
    }

    private static void txRequest(int gref, int offset, int flags, int id, int size) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[12]);
        new TxRequest().set(gref, offset, flags, id, size).writeTo(slot, 0);
        ByteBuffer b = le(12).putInt(TxRequest.GREF_OFFSET, gref).putShort(TxRequest.OFFSET_OFFSET, (short) offset)
                .putShort(TxRequest.FLAGS_OFFSET, (short) flags).putShort(TxRequest.ID_OFFSET, (short) id)
                .putShort(TxRequest.SIZE_OFFSET, (short) size);
        assertSlot(b, slot, 12);
        TxRequest r = new TxRequest().readFrom(slot, 0);
        assertEquals(gref, r.gref());
        assertEquals(offset, r.offset());
        assertEquals(flags, r.flags());
        assertEquals(id, r.id());
        assertEquals(size, r.size());
    }

    @Test
    void txResponseProperty() {
        qt().forAll(integers().all())
                .checkAssert(v -> txResponse(v & 0xffff, (short) (v >>> 16)));
    }

    private static void txResponse(int id, int status) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[12]);
        TxResponse.write(slot, 0, id, status);
        assertSlot(le(12).putShort(TxResponse.ID_OFFSET, (short) id).putShort(TxResponse.STATUS_OFFSET, (short) status),
                slot, 12);
        TxResponse r = new TxResponse().readFrom(slot, 0);
        assertEquals(id, r.id());
        assertEquals(status, r.status());
    }

    @Test
    void gsoExtraProperty() {
        qt().forAll(integers().all(), integers().all())
                .checkAssert((a, b) -> gsoExtra(a & 0xff, (a >>> 8) & 0xffff, a >>> 24, b & 0xffff));
    }

    private static void gsoExtra(int flags, int size, int type, int features) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[8]);
        ExtraInfo.writeGso(slot, 0, flags, size, type, features);
        assertSlot(le(8).put(ExtraInfo.TYPE_OFFSET, (byte) ExtraInfo.TYPE_GSO).put(ExtraInfo.FLAGS_OFFSET, (byte) flags)
                .putShort(ExtraInfo.GSO_SIZE_OFFSET, (short) size).put(ExtraInfo.GSO_TYPE_OFFSET, (byte) type)
                .putShort(ExtraInfo.GSO_FEATURES_OFFSET, (short) features), slot, 8);
        ExtraInfo e = new ExtraInfo().readFrom(slot, 0);
        assertEquals(ExtraInfo.TYPE_GSO, e.type());
        assertEquals(flags, e.flags());
        assertEquals(size, e.gsoSize());
        assertEquals(type, e.gsoType());
        assertEquals(features, e.gsoFeatures());
    }

    @Test
    void mcastExtraProperty() {
        qt().forAll(longs().between(0, 0xffff_ffff_ffffL), booleans().all())
                .checkAssert((mac, add) -> mcastExtra(mac, add));
    }

    private static void mcastExtra(long mac, boolean add) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[8]);
        int type = add ? ExtraInfo.TYPE_MCAST_ADD : ExtraInfo.TYPE_MCAST_DEL;
        ExtraInfo.writeMcast(slot, 0, type, 0, mac);
        ByteBuffer b = le(8).put(ExtraInfo.TYPE_OFFSET, (byte) type);
        for (int i = 0; i < 6; i++) {
            b.put(ExtraInfo.MCAST_ADDR_OFFSET + i, (byte) (mac >>> (8 * (5 - i))));
        }
        assertSlot(b, slot, 8);
        ExtraInfo e = new ExtraInfo().readFrom(slot, 0);
        assertEquals(type, e.type());
        assertEquals(mac, e.mcastAddress());
    }

    @Test
    void hashExtraProperty() {
        qt().forAll(integers().all(), integers().all())
                .checkAssert((a, value) -> hashExtra(a & 0xff, (a >>> 8) & 0xff, (a >>> 16) & 0xff, value));
    }

    private static void hashExtra(int flags, int htype, int alg, int value) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[8]);
        ExtraInfo.writeHash(slot, 0, flags, htype, alg, value);
        assertSlot(le(8).put(ExtraInfo.TYPE_OFFSET, (byte) ExtraInfo.TYPE_HASH).put(ExtraInfo.FLAGS_OFFSET, (byte) flags)
                .put(ExtraInfo.HASH_TYPE_OFFSET, (byte) htype).put(ExtraInfo.HASH_ALGORITHM_OFFSET, (byte) alg)
                .putInt(ExtraInfo.HASH_VALUE_OFFSET, value), slot, 8);
        ExtraInfo e = new ExtraInfo().readFrom(slot, 0);
        assertEquals(flags, e.flags());
        assertEquals(htype, e.hashType());
        assertEquals(alg, e.hashAlgorithm());
        assertEquals(value, e.hashValue());
    }

    @Test
    void rxRequestProperty() {
        qt().forAll(integers().between(0, 0xffff), integers().all())
                .checkAssert((id, gref) -> rxRequest(id, gref));
    }

    private static void rxRequest(int id, int gref) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[8]);
        RxRequest.write(slot, 0, id, gref);
        assertSlot(le(8).putShort(RxRequest.ID_OFFSET, (short) id).putInt(RxRequest.GREF_OFFSET, gref), slot, 8);
        RxRequest r = new RxRequest().readFrom(slot, 0);
        assertEquals(id, r.id());
        assertEquals(gref, r.gref());
    }

    @Test
    void rxResponseProperty() {
        qt().forAll(integers().all(), integers().all())
                .checkAssert((a, b) -> rxResponse(a & 0xffff, a >>> 16, b & 0xffff, (short) (b >>> 16)));
    }

    private static void rxResponse(int id, int offset, int flags, int status) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[8]);
        RxResponse.write(slot, 0, id, offset, flags, status);
        assertSlot(le(8).putShort(RxResponse.ID_OFFSET, (short) id).putShort(RxResponse.OFFSET_OFFSET, (short) offset)
                .putShort(RxResponse.FLAGS_OFFSET, (short) flags).putShort(RxResponse.STATUS_OFFSET, (short) status),
                slot, 8);
        RxResponse r = new RxResponse().readFrom(slot, 0);
        assertEquals(id, r.id());
        assertEquals(offset, r.offset());
        assertEquals(flags, r.flags());
        assertEquals(status, r.status());
    }

    @Test
    void ctrlRequestProperty() {
        qt().forAll(integers().all(), integers().all(), integers().all(), integers().all())
                .checkAssert((idType, d0, d1, d2) -> ctrlRequest(idType & 0xffff, idType >>> 16, d0, d1, d2));
    }

    private static void ctrlRequest(int id, int type, int d0, int d1, int d2) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        CtrlRequest.write(slot, 0, id, type, d0, d1, d2);
        assertSlot(le(16).putShort(CtrlRequest.ID_OFFSET, (short) id).putShort(CtrlRequest.TYPE_OFFSET, (short) type)
                .putInt(CtrlRequest.DATA_OFFSET, d0).putInt(CtrlRequest.DATA_OFFSET + 4, d1)
                .putInt(CtrlRequest.DATA_OFFSET + 8, d2), slot, 16);
        CtrlRequest r = new CtrlRequest().readFrom(slot, 0);
        assertEquals(id, r.id());
        assertEquals(type, r.type());
        assertEquals(d0, r.data(0));
        assertEquals(d1, r.data(1));
        assertEquals(d2, r.data(2));
    }

    @Test
    void ctrlResponseProperty() {
        qt().forAll(integers().all(), integers().all(), integers().all())
                .checkAssert((idType, status, data) -> ctrlResponse(idType & 0xffff, idType >>> 16, status, data));
    }

    private static void ctrlResponse(int id, int type, int status, int data) {
        UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        CtrlResponse.write(slot, 0, id, type, status, data);
        assertSlot(le(16).putShort(CtrlResponse.ID_OFFSET, (short) id).putShort(CtrlResponse.TYPE_OFFSET, (short) type)
                .putInt(CtrlResponse.STATUS_OFFSET, status).putInt(CtrlResponse.DATA_OFFSET, data), slot, 16);
        CtrlResponse r = new CtrlResponse().readFrom(slot, 0);
        assertEquals(id, r.id());
        assertEquals(type, r.type());
        assertEquals(status, r.status());
        assertEquals(data, r.data());
    }
}
