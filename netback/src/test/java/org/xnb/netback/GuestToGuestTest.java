package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xnb.harness.netfront.Packets.packet;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront.RxSlot;
import org.xnb.harness.netfront.MockNetfront;

/** Guest A's Tx engine feeding guest B's Rx engine directly: bytes and metadata survive both ways. */
class GuestToGuestTest {
    private HarnessHost host;
    private MockNetfront a;
    private MockNetfront b;
    private BackendQueue backA;
    private BackendQueue backB;

    @BeforeEach
    void setUp() {
        host = new HarnessHost();
        a = new MockNetfront(host, HarnessHost.GUEST_A);
        b = new MockNetfront(host, HarnessHost.GUEST_B);
        backA = new BackendQueue(host, a, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        backB = new BackendQueue(host, b, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        backA.sink = backB.rx;
        backB.sink = backA.rx;
    }

    @AfterEach
    void tearDown() {
        backA.close();
        backB.close();
        a.close();
        b.close();
        host.close();
    }

    @Test
    void multiSlotGsoFrameFromAArrivesInBWithItsMetadata() {
        byte[] p = packet(20_000, 1);
        // A: 1 + GSO extra + 5 more slots, odd offsets
        int[] sizes = {3000, 4096, 4096, 4096, 4096, 616};
        int[] offsets = {1000, 0, 0, 0, 0, 3480};
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            int f = a.takeTxFrame();
            a.memory.putBytes(MockNetfront.txFrameOffset(f) + offsets[i], p, at, sizes[i]);
            at += sizes[i];
            int flags = (i < sizes.length - 1 ? NetTxFlags.MORE_DATA : 0)
                    | (i == 0 ? NetTxFlags.EXTRA_INFO | NetTxFlags.CSUM_BLANK : 0);
            a.postTx(a.txRef(f), offsets[i], flags, a.nextId(), i == 0 ? p.length : sizes[i]);
            if (i == 0) {
                a.postGso(0, 1448, ExtraInfo.GSO_TYPE_TCPV4);
            }
        }
        a.pushTx();
        b.postRx(8);

        backA.tx.doWork();
        backB.rx.doWork();

        List<int[]> txRsp = a.txResponses();
        assertEquals(7, txRsp.size());
        assertEquals(0, backA.fatals.size());
        assertEquals(Netif.RSP_NULL, txRsp.get(1)[1]);
        List<RxSlot> rx = b.rxResponses();
        assertEquals(6, rx.size(), "5 data slots + the GSO extra");
        assertEquals(NetRxFlags.EXTRA_INFO | NetRxFlags.MORE_DATA | NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED,
                rx.get(0).flags());
        ExtraInfo gso = new ExtraInfo();
        org.agrona.concurrent.UnsafeBuffer w = new org.agrona.concurrent.UnsafeBuffer(new byte[8]);
        w.putLong(0, rx.get(1).rawWord(), java.nio.ByteOrder.LITTLE_ENDIAN);
        gso.readFrom(w, 0);
        assertEquals(ExtraInfo.TYPE_GSO, gso.type());
        assertEquals(1448, gso.gsoSize());
        assertEquals(ExtraInfo.GSO_TYPE_TCPV4, gso.gsoType());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < rx.size(); i++) {
            if (i == 1) {
                continue;
            }
            got.writeBytes(b.rxData(rx.get(i).id(), 0, rx.get(i).status()));
        }
        assertArrayEquals(p, got.toByteArray());
        assertEquals(0, host.account.pinnedGrants(HarnessHost.GUEST_A) - 2, "only A's ring pages stay pinned");
    }

    @Test
    void framesFlowBothWays() {
        byte[] ab = packet(1514, 2);
        byte[] ba = packet(700, 3);
        a.postPacket(ab);
        a.pushTx();
        b.postPacket(ba);
        b.pushTx();
        a.postRx(1);
        b.postRx(1);

        backA.tx.doWork();
        backB.tx.doWork();
        backA.rx.doWork();
        backB.rx.doWork();

        RxSlot inB = b.rxResponses().get(0);
        assertArrayEquals(ab, b.rxData(inB.id(), 0, inB.status()));
        RxSlot inA = a.rxResponses().get(0);
        assertArrayEquals(ba, a.rxData(inA.id(), 0, inA.status()));
    }
}
