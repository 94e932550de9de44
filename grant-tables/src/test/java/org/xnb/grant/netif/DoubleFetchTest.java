package org.xnb.grant.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.FrontRing;

/**
 * XSA-155: once a request is copied out of the shared page, the guest rewriting the slot must not
 * change what the backend checks and uses.
 */
class DoubleFetchTest {
    private final UnsafeBuffer page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));

    @Test
    void txRequestRewrittenAfterCopyChangesNothing() {
        FrontRing front = FrontRing.initShared(page, 0, 4096, Netif.TX_SLOT_BYTES);
        BackRing back = BackRing.init(page, 0, 4096, Netif.TX_SLOT_BYTES);
        int slot = front.produceRequest();
        new TxRequest().set(17, 100, 0, 5, 1000).writeTo(page, slot);
        front.pushRequests();

        TxRequest copy = new TxRequest().readFrom(page, back.consumeRequest());
        // the hostile guest now makes the request cross the page
        new TxRequest().set(99, 4000, NetTxFlags.MORE_DATA, 6, 60000).writeTo(page, slot);

        assertEquals(17, copy.gref());
        assertEquals(100, copy.offset());
        assertEquals(0, copy.flags());
        assertEquals(5, copy.id());
        assertEquals(1000, copy.size());
        assertEquals(60000, new TxRequest().readFrom(page, slot).size(), "the page did change");
    }

    @Test
    void extraAndCtrlRequestsRewrittenAfterCopyChangeNothing() {
        ExtraInfo.writeGso(page, 64, 0, 1448, ExtraInfo.GSO_TYPE_TCPV4, 0);
        ExtraInfo extra = new ExtraInfo().readFrom(page, 64);
        ExtraInfo.writeGso(page, 64, ExtraInfo.FLAG_MORE, 0, 77, 0);
        assertEquals(1448, extra.gsoSize());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV4, extra.gsoType());
        assertEquals(false, extra.more());

        CtrlRequest.write(page, 128, 1, NetifCtrl.TYPE_SET_HASH_MAPPING, 5, 8, 0);
        CtrlRequest ctrl = new CtrlRequest().readFrom(page, 128);
        CtrlRequest.write(page, 128, 1, NetifCtrl.TYPE_SET_HASH_MAPPING, 5, 0x7fffffff, 0x7fffffff);
        assertEquals(8, ctrl.data(1));
        assertEquals(0, ctrl.data(2));

        RxRequest.write(page, 256, 3, 44);
        RxRequest rx = new RxRequest().readFrom(page, 256);
        RxRequest.write(page, 256, 9, 45);
        assertEquals(3, rx.id());
        assertEquals(44, rx.gref());
    }
}
