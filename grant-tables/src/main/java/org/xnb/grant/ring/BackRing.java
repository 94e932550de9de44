package org.xnb.grant.ring;

import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The backend's view of a shared ring ({@code struct __name##_back_ring}): it consumes requests
 * and produces responses. {@code req_cons} and {@code rsp_prod_pvt} are private to the backend
 * (plain fields, never trusted to the page); only {@code rsp_prod} and {@code req_event} are
 * written to the shared page.
 *
 * <p>Memory ordering is that of {@code io/ring.h}:
 * <ul>
 *   <li>{@code RING_PUSH_RESPONSES}: entries are written with plain stores, then {@code rsp_prod}
 *       with a release store ({@code xen_wmb()} then store).</li>
 *   <li>Reading {@code req_prod} is an acquire load, so the requests it covers are visible to the
 *       plain loads that copy them out afterwards ({@code xen_rmb()} after reading the index).</li>
 *   <li>{@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY} and {@code RING_FINAL_CHECK_FOR_REQUESTS}
 *       have a full {@code xen_mb()} between a store and a load of a <em>different</em> word.
 *       Release/acquire does not order a store before a later load (StoreLoad: on x86 the store
 *       can still sit in the store buffer while the load is served), so both sides could read
 *       the other's stale word: the backend misses the new {@code rsp_event} and does not notify,
 *       the frontend misses the new {@code rsp_prod} and goes to sleep: a lost wake-up (the
 *       Dekker pattern). We get the StoreLoad fence from a volatile store followed by a volatile
 *       load: volatile accesses are sequentially consistent with each other, and HotSpot emits a
 *       full fence after the volatile store ({@code lock addl} on x86, {@code stlr}+{@code ldar}
 *       on AArch64), which is what {@code xen_mb()} is on the guest's side.</li>
 * </ul>
 *
 * <p>This class does no validation of entries; it only reads and publishes indices. Requests are
 * copied out exactly once by the netif codecs (XSA-155). Not thread safe: one backend thread per
 * ring.
 */
public final class BackRing extends SharedRing {
    private int rspProdPvt;
    /** The last {@code rsp_prod} we published: the page's copy is the guest's to scribble on. */
    private int rspProdPublished;
    private int reqCons;

    private BackRing(AtomicBuffer buffer, int base, int ringBytes, int entryBytes, int index) {
        super(buffer, base, ringBytes, entryBytes);
        this.rspProdPvt = index;
        this.rspProdPublished = index;
        this.reqCons = index;
    }

    /** {@code BACK_RING_INIT}: a ring the frontend has just initialised (indices at 0). */
    public static BackRing init(AtomicBuffer buffer, int base, int ringBytes, int entryBytes) {
        return new BackRing(buffer, base, ringBytes, entryBytes, 0);
    }

    /** {@code BACK_RING_ATTACH}: both private indices start at {@code index}. */
    public static BackRing attach(AtomicBuffer buffer, int base, int ringBytes, int entryBytes, int index) {
        return new BackRing(buffer, base, ringBytes, entryBytes, index);
    }

    /**
     * Attaches to a ring that is already live: the frontend may have queued requests before we
     * connected, or a previous backend (this one before a restart) answered part of them. The last
     * published {@code rsp_prod} is where the previous backend stopped answering, so
     * consumption resumes there: requests it consumed but never answered are consumed again
     * (every request gets exactly one response). This is what Linux netback does in
     * {@code xenvif_map_frontend_data_rings}.
     *
     * @throws RingProtocolException if {@code req_prod - rsp_prod} exceeds the ring size
     */
    public static BackRing attachLive(AtomicBuffer buffer, int base, int ringBytes, int entryBytes) {
        SharedRingDescriptor.checkRegion(buffer, base, ringBytes);
        int rspProd = buffer.getIntVolatile(base + RSP_PROD_OFFSET);
        int reqProd = buffer.getIntVolatile(base + REQ_PROD_OFFSET);
        BackRing ring = new BackRing(buffer, base, ringBytes, entryBytes, rspProd);
        if (ring.requestProducerOverflow(reqProd)) {
            throw new RingProtocolException("cannot attach: req_prod " + Integer.toUnsignedString(reqProd)
                    + " is more than " + ring.size + " ahead of rsp_prod " + Integer.toUnsignedString(rspProd));
        }
        return ring;
    }

    /** Private {@code req_cons}: the next request to consume. */
    public int requestConsumer() {
        return reqCons;
    }

    public void requestConsumer(int index) {
        reqCons = index;
    }

    /** Private {@code rsp_prod_pvt}: the next response slot to fill (not yet published). */
    public int responseProducer() {
        return rspProdPvt;
    }

    public void responseProducer(int index) {
        rspProdPvt = index;
    }

    /** Offset of the slot of request {@code req_cons}, then advances {@code req_cons}. */
    public int consumeRequest() {
        return entryOffset(reqCons++);
    }

    /** Offset of the slot of response {@code rsp_prod_pvt}, then advances it (not published). */
    public int produceResponse() {
        return entryOffset(rspProdPvt++);
    }

    /** The frontend's {@code req_prod} (acquire: the requests below it are visible afterwards). */
    public int requestProducer() {
        return loadAcquire(REQ_PROD_OFFSET);
    }

    /**
     * {@code XEN_RING_NR_UNCONSUMED_REQUESTS}: requests we may consume now. It is the smaller of
     * the requests published ({@code req_prod - req_cons}) and the response slots still free
     * ({@code size - (req_cons - rsp_prod_pvt)}); the second bound keeps a frontend that publishes
     * a garbage {@code req_prod} from making us consume more than the ring can answer.
     */
    public int unconsumedRequests() {
        return unconsumed(requestProducer());
    }

    /**
     * {@link #unconsumedRequests()} after Linux netback's sanity check: a {@code req_prod} more
     * than a ring ahead of {@code req_cons} is impossible for a correct frontend. Reads
     * {@code req_prod} once.
     *
     * @throws RingProtocolException "impossible number of requests"
     */
    public int unconsumedRequestsChecked() {
        int reqProd = requestProducer();
        if (impossibleRequestCount(reqProd)) {
            throw new RingProtocolException("impossible number of requests: req_prod "
                    + Integer.toUnsignedString(reqProd) + ", req_cons " + Integer.toUnsignedString(reqCons)
                    + ", size " + size);
        }
        return unconsumed(reqProd);
    }

    private int unconsumed(int reqProd) {
        int req = reqProd - reqCons;
        int rsp = size - (reqCons - rspProdPvt);
        return unsignedLess(req, rsp) ? req : rsp;
    }

    /** Whether {@code req_prod - req_cons > size}: no frontend can have that many outstanding. */
    public boolean impossibleRequestCount(int reqProd) {
        return unsignedLess(size, reqProd - reqCons);
    }

    /**
     * {@code RING_REQUEST_CONS_OVERFLOW}: consuming request {@code cons} would need a response
     * slot that is still taken (the loop-termination check of a consumer).
     */
    public boolean requestConsumerOverflow(int cons) {
        return !unsignedLess(cons - rspProdPvt, size);
    }

    /** {@code RING_REQUEST_PROD_OVERFLOW}: {@code prod} claims more requests than the ring holds. */
    public boolean requestProducerOverflow(int prod) {
        return unsignedLess(size, prod - rspProdPvt);
    }

    /**
     * Writes {@code req_event} ("notify me when {@code req_prod} passes this") with a volatile
     * store, so that a following read of {@code req_prod} is ordered after it ({@code xen_mb()}).
     * Used by a consumer that needs more than one request before it can proceed (netback Rx waits
     * for enough slots for a whole packet: {@code req_event = req_prod + 1}, then re-reads).
     */
    public void requestEvent(int value) {
        buffer.putIntVolatile(base + REQ_EVENT_OFFSET, value);
    }

    /** {@code RING_PUSH_RESPONSES}: publishes the responses written so far (release store). */
    public void pushResponses() {
        buffer.putIntOrdered(base + RSP_PROD_OFFSET, rspProdPvt);
        rspProdPublished = rspProdPvt;
    }

    /**
     * {@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}: publishes the responses and says whether the
     * frontend asked to be woken for any of them.
     *
     * <p>The protocol (the same shape as Netty's event-loop wakeup): a frontend about to sleep
     * first announces "wake me when rsp_prod passes rsp_cons" by writing {@code rsp_event =
     * rsp_cons + 1}, then re-reads {@code rsp_prod} ({@link FrontRing#finalCheckForResponses()}).
     * We publish {@code rsp_prod}, then read {@code rsp_event}. With a full fence between the
     * store and the load on both sides, at least one of us sees the other's write: either the
     * frontend's re-check sees our responses (it does not sleep) or we see its {@code rsp_event}
     * inside {@code (old, new]} and notify. Only then can notifications be suppressed safely.
     *
     * @return true iff {@code new - rsp_event < new - old} (unsigned): the event threshold lies in
     *     the range just published, so the caller must kick the event channel
     */
    public boolean pushResponsesAndCheckNotify() {
        // ring.h reads the old rsp_prod back from the page; a hostile guest may have rewritten it
        // there, so we use our own record of what we last published.
        int oldProd = rspProdPublished;
        int newProd = rspProdPvt;
        // release: responses before the index; volatile: StoreLoad before reading rsp_event (xen_mb)
        buffer.putIntVolatile(base + RSP_PROD_OFFSET, newProd);
        rspProdPublished = newProd;
        int event = buffer.getIntVolatile(base + RSP_EVENT_OFFSET);
        return unsignedLess(newProd - event, newProd - oldProd);
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_REQUESTS}: called when the backend has run out of requests and
     * is about to sleep. If requests are there, returns true at once. Otherwise it re-arms
     * notification ({@code req_event = req_cons + 1}: "kick me for the very next request"), fences
     * and checks again, closing the window where the frontend published a request after our first
     * look but before it could see the new {@code req_event}.
     *
     * @return true if there is work (do not sleep); false: sleep until the event channel fires
     */
    public boolean finalCheckForRequests() {
        if (unconsumedRequests() != 0) {
            return true;
        }
        // volatile store then the volatile load inside unconsumedRequests(): xen_mb()
        buffer.putIntVolatile(base + REQ_EVENT_OFFSET, reqCons + 1);
        return unconsumedRequests() != 0;
    }
}
