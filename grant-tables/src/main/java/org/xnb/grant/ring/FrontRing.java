package org.xnb.grant.ring;

import static org.xnb.grant.ring.SharedRingDescriptor.PAD_LENGTH;
import static org.xnb.grant.ring.SharedRingDescriptor.PAD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.PVT_LENGTH;
import static org.xnb.grant.ring.SharedRingDescriptor.PVT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static org.xnb.grant.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The frontend's view of a shared ring ({@code struct __name##_front_ring}): it produces requests
 * and consumes responses. xnb is a backend; this side exists for the simulated guests of the test
 * harness, the benchmarks and the tests, and follows {@code io/ring.h} just as closely as
 * {@link BackRing} (see there for the memory-ordering rules).
 */
public final class FrontRing extends SharedRing {
    private int reqProdPvt;
    private int rspCons;

    private FrontRing(AtomicBuffer buffer, int base, int ringBytes, int entryBytes, int index) {
        super(buffer, base, ringBytes, entryBytes);
        this.reqProdPvt = index;
        this.rspCons = index;
    }

    /**
     * {@code XEN_FRONT_RING_INIT}: {@code SHARED_RING_INIT} on the page (producers 0, both event
     * thresholds 1 so that the very first request and response notify, pvt and pad zeroed), then
     * {@code FRONT_RING_INIT}. Do this before granting the page to the backend.
     */
    public static FrontRing initShared(AtomicBuffer buffer, int base, int ringBytes, int entryBytes) {
        SharedRingDescriptor.checkRegion(buffer, base, ringBytes);
        buffer.setMemory(base + PVT_OFFSET, PVT_LENGTH, (byte) 0);
        buffer.setMemory(base + PAD_OFFSET, PAD_LENGTH, (byte) 0);
        buffer.putInt(base + REQ_PROD_OFFSET, 0);
        buffer.putInt(base + RSP_PROD_OFFSET, 0);
        buffer.putInt(base + REQ_EVENT_OFFSET, 1);
        buffer.putIntVolatile(base + RSP_EVENT_OFFSET, 1);
        return new FrontRing(buffer, base, ringBytes, entryBytes, 0);
    }

    /** {@code FRONT_RING_ATTACH}: both private indices start at {@code index}. */
    public static FrontRing attach(AtomicBuffer buffer, int base, int ringBytes, int entryBytes, int index) {
        return new FrontRing(buffer, base, ringBytes, entryBytes, index);
    }

    /** Private {@code req_prod_pvt}: the next request slot to fill (not yet published). */
    public int requestProducer() {
        return reqProdPvt;
    }

    public void requestProducer(int index) {
        reqProdPvt = index;
    }

    /** Private {@code rsp_cons}: the next response to consume. */
    public int responseConsumer() {
        return rspCons;
    }

    public void responseConsumer(int index) {
        rspCons = index;
    }

    /** Offset of the slot of request {@code req_prod_pvt}, then advances it (not published). */
    public int produceRequest() {
        return entryOffset(reqProdPvt++);
    }

    /** Offset of the slot of response {@code rsp_cons}, then advances {@code rsp_cons}. */
    public int consumeResponse() {
        return entryOffset(rspCons++);
    }

    /** {@code RING_FREE_REQUESTS}: request slots we may fill without overrunning responses. */
    public int freeRequests() {
        return size - (reqProdPvt - rspCons);
    }

    /** {@code RING_FULL}. */
    public boolean full() {
        return freeRequests() == 0;
    }

    /** The backend's {@code rsp_prod} (acquire: the responses below it are visible afterwards). */
    public int responseProducer() {
        return loadAcquire(RSP_PROD_OFFSET);
    }

    /** {@code XEN_RING_NR_UNCONSUMED_RESPONSES}. */
    public int unconsumedResponses() {
        return responseProducer() - rspCons;
    }

    /** {@code RING_RESPONSE_PROD_OVERFLOW}: {@code prod} claims more responses than possible. */
    public boolean responseProducerOverflow(int prod) {
        return unsignedLess(size, prod - rspCons);
    }

    /** {@code RING_PUSH_REQUESTS}: publishes the requests written so far (release store). */
    public void pushRequests() {
        buffer.putIntOrdered(base + REQ_PROD_OFFSET, reqProdPvt);
    }

    /**
     * {@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY}: publish, full fence, read {@code req_event}.
     * The mirror image of {@link BackRing#pushResponsesAndCheckNotify()}: a backend about to sleep
     * writes {@code req_event = req_cons + 1} and re-checks {@code req_prod}; we store
     * {@code req_prod} and then read {@code req_event}; the fences guarantee one of us sees the
     * other.
     *
     * @return true iff the backend's {@code req_event} lies in {@code (old req_prod, new]}
     */
    public boolean pushRequestsAndCheckNotify() {
        int oldProd = buffer.getInt(base + REQ_PROD_OFFSET); // only we write req_prod
        int newProd = reqProdPvt;
        // release: requests before the index; volatile: StoreLoad before reading req_event (xen_mb)
        buffer.putIntVolatile(base + REQ_PROD_OFFSET, newProd);
        int event = buffer.getIntVolatile(base + REQ_EVENT_OFFSET);
        return unsignedLess(newProd - event, newProd - oldProd);
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_RESPONSES}: true if responses are waiting; otherwise re-arm
     * ({@code rsp_event = rsp_cons + 1}), fence, and look once more.
     */
    public boolean finalCheckForResponses() {
        if (unconsumedResponses() != 0) {
            return true;
        }
        // volatile store then the volatile load inside unconsumedResponses(): xen_mb()
        buffer.putIntVolatile(base + RSP_EVENT_OFFSET, rspCons + 1);
        return unconsumedResponses() != 0;
    }
}
