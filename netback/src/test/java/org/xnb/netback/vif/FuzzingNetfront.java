package org.xnb.netback.vif;

import java.util.Random;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.RxRequest;
import org.xnb.grant.netif.TxRequest;
import org.xnb.grant.ring.FrontRing;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;

/**
 * A misbehaving netfront on a {@link GuestDriver}'s pages, grants and ports: each
 * {@link #round()} writes a random mix of well-formed packets (some with one field mutated),
 * garbage slots, random extras, raw Tx/Rx index writes, scribbled event thresholds and random Rx
 * requests, publishes them and kicks. Its own front rings (re-initialised for every connection);
 * Tx data pages filled with {@code 0x02} so that its well-formed frames (destination = source =
 * 02:02:02:02:02:02) are learned and never forwarded: only mutated ones reach the other guests.
 * Not thread-safe.
 */
final class FuzzingNetfront {
    static final int TX_RING = HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME);
    static final int RX_RING = HarnessGuest.frameOffset(MockNetfront.RX_RING_FRAME);
    private static final int PAGE = SharedRingDescriptor.PAGE_BYTES;
    /** Grant refs MockNetfront hands out, consecutive from its Tx ring ref: rings, Tx data, Rx data. */
    private static final int REFS_GRANTED = 2 + MockNetfront.TX_DATA_FRAMES + MockNetfront.RX_DATA_FRAMES;

    private final GuestDriver guest;
    private final MockNetfront front;
    private final AtomicBuffer memory;
    private final Random random;
    private final TxRequest request = new TxRequest();
    private FrontRing tx;
    private FrontRing rx;
    /** Slots and Rx requests written so far (all connections). */
    long requests;
    /** The Tx req_prod last published. */
    private int published;

    FuzzingNetfront(GuestDriver guest, Random random) {
        this.guest = guest;
        this.front = guest.front;
        this.memory = front.memory;
        this.random = random;
    }

    /** Fresh rings and data pages, before (re)connecting, as netfront's setup_netfront does. */
    void reset() {
        tx = FrontRing.initShared(memory, TX_RING, PAGE, Netif.TX_SLOT_BYTES);
        rx = FrontRing.initShared(memory, RX_RING, PAGE, Netif.RX_SLOT_BYTES);
        published = 0;
        for (int f = 0; f < MockNetfront.TX_DATA_FRAMES; f++) {
            memory.setMemory(MockNetfront.txFrameOffset(f), PAGE, (byte) 0x02);
        }
    }

    /** The Tx req_prod last published. */
    int publishedTx() {
        return published;
    }

    /** Whether the backend answered every Tx request published. */
    boolean txAnswered() {
        return tx.responseProducer() == published;
    }

    /** One round: writes, publishes, kicks. */
    void round() {
        int op = random.nextInt(100);
        boolean raw = false;
        if (op < 55) {
            wellFormed(random.nextInt(100) < 35);
        } else if (op < 60) {
            garbage();
        } else if (op < 72) {
            extras();
        } else if (op < 76) {
            raw = rawTxIndex();
        } else if (op < 80) {
            scribbleEvents();
        } else {
            rxRequests();
            wellFormed(false);
        }
        if (!raw) {
            tx.pushRequests();
            published = tx.requestProducer();
        }
        front.events.notify(front.port);
        if (guest.split) {
            front.events.notify(guest.rxPort);
        }
    }

    /** Free Tx slots, 0 to the ring size (after a raw req_prod the private index may be anywhere). */
    private int freeTx() {
        // answered responses are consumed at once: only unanswered requests take room
        tx.responseConsumer(tx.responseProducer());
        return Math.max(0, Math.min(Netif.TX_RING_SIZE, tx.freeRequests()));
    }

    /** Packets of 1-4 slots (sometimes 17-23); with {@code mutate}, one field of one slot of the batch is changed. */
    private void wellFormed(boolean mutate) {
        int free = freeTx();
        int start = tx.requestProducer();
        int budget = Math.min(free, 16 + random.nextInt(200));
        while (budget > 0) {
            // now and then near the slot limits: 18 fragments pass, 19-20 are dropped, 21+ are fatal
            int slots = Math.min(budget, random.nextInt(400) == 0 ? 17 + random.nextInt(7) : 1 + random.nextInt(4));
            int total = 0;
            int[] sizes = new int[slots];
            for (int i = 0; i < slots; i++) {
                sizes[i] = i == 0 ? 14 + random.nextInt(1500) : random.nextInt(slots > 4 ? 2000 : PAGE + 1);
                total += sizes[i];
            }
            for (int i = 0; i < slots; i++) {
                int f = front.takeTxFrame();
                int size = sizes[i];
                int offset = size == PAGE ? 0 : random.nextInt(PAGE - size + 1);
                int flags = i < slots - 1 ? NetTxFlags.MORE_DATA : 0;
                if (i == 0 && random.nextInt(8) == 0) {
                    flags |= NetTxFlags.CSUM_BLANK | NetTxFlags.DATA_VALIDATED;
                }
                request.set(front.txRef(f), offset, flags, random.nextInt(65536), i == 0 ? total : size)
                        .writeTo(memory, tx.produceRequest());
            }
            budget -= slots;
            requests += slots;
        }
        int written = tx.requestProducer() - start;
        if (mutate && written > 0) {
            int at = tx.entryOffset(start + random.nextInt(written));
            request.readFrom(memory, at);
            switch (random.nextInt(6)) {
                case 0 -> request.set(anyRef(), request.offset(), request.flags(), request.id(), request.size());
                case 1 -> request.set(request.gref(), random.nextInt(65536), request.flags(), request.id(), request.size());
                case 2 -> request.set(request.gref(), request.offset(), random.nextInt(65536), request.id(), request.size());
                case 3 -> request.set(request.gref(), request.offset(), request.flags(), request.id(), random.nextInt(65536));
                case 4 -> request.set(request.gref(), request.offset(), request.flags() ^ (1 << random.nextInt(16)),
                        request.id(), request.size());
                default -> request.set(request.gref(), request.offset(), request.flags(), request.id(),
                        request.size() ^ (1 << random.nextInt(16)));
            }
            request.writeTo(memory, at);
        }
    }

    /** A grant ref: mostly one of ours (any kind of page), sometimes anything. */
    private int anyRef() {
        int k = random.nextInt(10);
        return k < 8 ? front.txRingRef + random.nextInt(REFS_GRANTED) : k == 8 ? random.nextInt(HarnessHost.GRANTS) : random.nextInt();
    }

    private void garbage() {
        int n = Math.min(freeTx(), 1 + random.nextInt(64));
        for (int i = 0; i < n; i++) {
            int at = tx.produceRequest();
            memory.putLong(at, random.nextLong());
            memory.putInt(at + 8, random.nextInt());
        }
        requests += n;
    }

    /** A first slot with extra info, then 1-3 extras of random (mostly valid) types. */
    private void extras() {
        int free = freeTx();
        if (free < 5) {
            return;
        }
        int f = front.takeTxFrame();
        int size = 60 + random.nextInt(1400);
        request.set(front.txRef(f), 0, NetTxFlags.EXTRA_INFO, random.nextInt(65536), size)
                .writeTo(memory, tx.produceRequest());
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            int more = i < n - 1 ? ExtraInfo.FLAG_MORE : 0;
            int at = tx.produceRequest();
            switch (random.nextInt(5)) {
                case 0 -> ExtraInfo.writeGso(memory, at, more, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(9000),
                        random.nextInt(4), 0);
                case 1 -> ExtraInfo.writeMcast(memory, at, ExtraInfo.TYPE_MCAST_ADD, more, 0x0100_5e00_0000L | random.nextInt(256));
                case 2 -> ExtraInfo.writeMcast(memory, at, ExtraInfo.TYPE_MCAST_DEL, more, 0x0100_5e00_0000L | random.nextInt(256));
                case 3 -> ExtraInfo.writeHash(memory, at, more, random.nextInt(8), random.nextInt(3), random.nextInt());
                default -> memory.putLong(at, random.nextLong());
            }
        }
        requests += 1 + n;
    }

    /** req_prod written by hand: a little ahead (stale slots), behind, or anywhere. */
    private boolean rawTxIndex() {
        int prod = tx.requestProducer();
        int value = switch (random.nextInt(3)) {
            case 0 -> prod + random.nextInt(Netif.TX_RING_SIZE + 1);
            case 1 -> prod - 1 - random.nextInt(Netif.TX_RING_SIZE);
            default -> random.nextInt();
        };
        memory.putIntVolatile(TX_RING + SharedRingDescriptor.REQ_PROD_OFFSET, value);
        tx.requestProducer(value);
        published = value;
        requests++;
        return true;
    }

    /** req_event / rsp_event are in shared memory: a guest may write anything there. */
    private void scribbleEvents() {
        int ring = random.nextBoolean() ? TX_RING : RX_RING;
        int field = random.nextBoolean() ? SharedRingDescriptor.REQ_EVENT_OFFSET : SharedRingDescriptor.RSP_EVENT_OFFSET;
        memory.putIntVolatile(ring + field, random.nextInt());
        requests++;
    }

    /** Rx requests with random ids and refs (mostly our Rx pages), sometimes a raw Rx req_prod. */
    private void rxRequests() {
        rx.responseConsumer(rx.responseProducer());
        int n = Math.max(0, Math.min(rx.freeRequests(), 1 + random.nextInt(128)));
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(10);
            int ref = k < 7 ? front.txRingRef + 2 + MockNetfront.TX_DATA_FRAMES + random.nextInt(MockNetfront.RX_DATA_FRAMES)
                    : anyRef();
            RxRequest.write(memory, rx.produceRequest(), random.nextInt(65536), ref);
        }
        requests += n;
        if (random.nextInt(10) == 0) {
            int value = random.nextBoolean() ? rx.requestProducer() + random.nextInt(2 * Netif.RX_RING_SIZE) : random.nextInt();
            memory.putIntVolatile(RX_RING + SharedRingDescriptor.REQ_PROD_OFFSET, value);
            rx.requestProducer(value);
        } else {
            rx.pushRequests();
        }
    }
}
