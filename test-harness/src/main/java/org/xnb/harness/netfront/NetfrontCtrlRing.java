package org.xnb.harness.netfront;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.CtrlRequest;
import org.xnb.grant.netif.CtrlResponse;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.grant.ring.FrontRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.hypervisor.HarnessGuest;

/**
 * A guest's side of the netif control ring ({@code feature-ctrl-ring}), written from
 * {@code io/netif.h} ("Control messages") and {@code io/ring.h}, never from netback's code: the
 * ring in one frame granted read-write, a key page and a mapping-table page granted read-only
 * (netif.h: the grants "may be read-only"; the key and table start at the beginning of the
 * grant), and an unbound event channel for {@code event-channel-ctrl}.
 *
 * <pre>
 *   frames of the guest, from firstFrame:
 *   +0   control shared ring (16-byte slots, 128 of them)
 *   +1   key page: the key's octets from offset 0
 *   +2   mapping page: u32 little-endian queue numbers from offset 0
 * </pre>
 *
 * <p>Well-behaved requests ({@link #setAlgorithm}, {@link #setFlags}, {@link #setKey},
 * {@link #setMappingSize}, {@link #setMapping}, the two GETs) and misbehaving ones
 * ({@link #post} with any type and data, {@link #setKeyRaw} / {@link #setMappingRaw} with any
 * gref, length and offset, table entries that are not queues, a garbage {@code req_prod} with
 * {@link #publishRequestProducer}). Requests are written at {@code req_prod_pvt} and published
 * by {@link #push}; {@link #responses} reads what came back. One thread drives it.
 */
public final class NetfrontCtrlRing implements AutoCloseable {
    /** Guest frames this client uses from its first frame. */
    public static final int FRAMES = 3;

    /** A response as read from the ring. */
    public record Reply(int id, int type, int status, int data) {
    }

    private final HarnessGuest guest;
    private final AtomicBuffer memory;
    private final int keyFrame;
    private final int mappingFrame;
    public final FrontRing ring;
    /** Grant ref of the ring page (the frontend's {@code ctrl-ring-ref}). */
    public final int ringRef;
    /** Grant ref of the key page. */
    public final int keyRef;
    /** Grant ref of the mapping page. */
    public final int mappingRef;
    public final HarnessEventChannel events;
    /** The unbound port offered to the backend ({@code event-channel-ctrl}). */
    public final int port;
    private final CtrlResponse response = new CtrlResponse();
    private int nextId;

    /** Sets up the ring in {@code firstFrame} and the two data pages after it, granted to {@code backend}. */
    public NetfrontCtrlRing(HarnessGuest guest, int firstFrame, int backend) {
        this.guest = guest;
        this.memory = guest.memory();
        this.keyFrame = firstFrame + 1;
        this.mappingFrame = firstFrame + 2;
        guest.frameAddress(mappingFrame); // fails now if the guest is too small
        ring = FrontRing.initShared(memory, HarnessGuest.frameOffset(firstFrame), SharedRingDescriptor.PAGE_BYTES,
                Netif.CTRL_SLOT_BYTES);
        ringRef = guest.grantAccess(firstFrame, backend, false);
        keyRef = guest.grantAccess(keyFrame, backend, true);
        mappingRef = guest.grantAccess(mappingFrame, backend, true);
        events = guest.openEventChannel();
        port = events.allocateUnbound(backend);
    }

    /** Writes a request of any type and data at {@code req_prod_pvt} (not yet published); returns its id. */
    public int post(int type, int data0, int data1, int data2) {
        int id = nextId;
        nextId = (nextId + 1) & 0xffff;
        CtrlRequest.write(memory, ring.produceRequest(), id, type, data0, data1, data2);
        return id;
    }

    /** SET_HASH_ALGORITHM (data[0] = algorithm). */
    public int setAlgorithm(int algorithm) {
        return post(NetifCtrl.TYPE_SET_HASH_ALGORITHM, algorithm, 0, 0);
    }

    public int getFlags() {
        return post(NetifCtrl.TYPE_GET_HASH_FLAGS, 0, 0, 0);
    }

    /** SET_HASH_FLAGS (data[0] = XEN_NETIF_CTRL_HASH_TYPE_* bits). */
    public int setFlags(int flags) {
        return post(NetifCtrl.TYPE_SET_HASH_FLAGS, flags, 0, 0);
    }

    /** Writes {@code key} at the start of the key page and posts SET_HASH_KEY (keyRef, key.length). */
    public int setKey(byte[] key) {
        writeKey(key);
        return setKeyRaw(keyRef, key.length);
    }

    /** Writes octets at the start of the key page (up to a page). */
    public void writeKey(byte[] key) {
        memory.putBytes(HarnessGuest.frameOffset(keyFrame), key);
    }

    /** SET_HASH_KEY with any gref and length. */
    public int setKeyRaw(int gref, int length) {
        return post(NetifCtrl.TYPE_SET_HASH_KEY, gref, length, 0);
    }

    public int getMappingSize() {
        return post(NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0);
    }

    /** SET_HASH_MAPPING_SIZE (data[0] = entries). */
    public int setMappingSize(int entries) {
        return post(NetifCtrl.TYPE_SET_HASH_MAPPING_SIZE, entries, 0, 0);
    }

    /**
     * Writes {@code entries} (any values, also ones that are no queue) at the start of the mapping
     * page and posts SET_HASH_MAPPING (mappingRef, entries.length, offset).
     */
    public int setMapping(int[] entries, int offset) {
        writeMapping(entries);
        return setMappingRaw(mappingRef, entries.length, offset);
    }

    /** Writes u32 entries at the start of the mapping page (at most 1024). */
    public void writeMapping(int[] entries) {
        int base = HarnessGuest.frameOffset(mappingFrame);
        for (int i = 0; i < entries.length; i++) {
            memory.putInt(base + i * Integer.BYTES, entries[i], LITTLE_ENDIAN);
        }
    }

    /** Fills the whole mapping page with one value (for lengths up to a page and beyond). */
    public void fillMappingPage(int value) {
        int base = HarnessGuest.frameOffset(mappingFrame);
        for (int i = 0; i < XenPage.SIZE / Integer.BYTES; i++) {
            memory.putInt(base + i * Integer.BYTES, value, LITTLE_ENDIAN);
        }
    }

    /** SET_HASH_MAPPING with any gref, length (entries) and offset (entries). */
    public int setMappingRaw(int gref, int length, int offset) {
        return post(NetifCtrl.TYPE_SET_HASH_MAPPING, gref, length, offset);
    }

    /**
     * RING_PUSH_REQUESTS_AND_CHECK_NOTIFY.
     *
     * @return whether the backend asked to be kicked (the caller kicks once the port is bound)
     */
    public boolean push() {
        return ring.pushRequestsAndCheckNotify();
    }

    /** Writes any {@code req_prod} (a misbehaving guest). */
    public void publishRequestProducer(int reqProd) {
        ring.requestProducer(reqProd);
        ring.pushRequests();
    }

    /** Consumes every response published so far. */
    public List<Reply> responses() {
        List<Reply> out = new ArrayList<>();
        int prod = ring.responseProducer();
        while (ring.responseConsumer() != prod) {
            response.readFrom(memory, ring.consumeResponse());
            out.add(new Reply(response.id(), response.type(), response.status(), response.data()));
        }
        return out;
    }

    /** Sends one request and returns its response, the backend run by {@code backend} in between. */
    public Reply call(int id, Runnable backend) {
        push();
        backend.run();
        List<Reply> replies = responses();
        if (replies.size() != 1 || replies.get(0).id() != id) {
            throw new IllegalStateException("expected one response to request " + id + ", got " + replies);
        }
        return replies.get(0);
    }

    @Override
    public void close() {
        events.close();
    }
}
