package org.xnb.netback.vif;

import java.util.Arrays;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.GuestRule;
import org.xnb.netback.MulticastList;
import org.xnb.netback.port.MacAddress;

/**
 * One way for a guest to break a rule of REFERENCE.md section 6 (or play one advisory's attack)
 * on its Tx ring, and the rule netback must apply. Shared by {@link VifGuestRulesEndToEndTest}
 * (mock frames as the concurrent traffic) and {@code VifGuestRulesIperfIT} (iperf3 between TAP guests).
 */
enum Misbehaviour {
    IMPOSSIBLE_REQUEST_COUNT(GuestRule.IMPOSSIBLE_REQUEST_COUNT) {
        @Override
        void post(GuestDriver c) {
            // req_prod, far past the ring
            c.front.memory.putIntVolatile(HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME), 100_000);
        }
    },
    MISSING_EXTRA_INFO(GuestRule.MISSING_EXTRA_INFO) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
        }
    },
    INVALID_EXTRA_TYPE(GuestRule.INVALID_EXTRA_TYPE) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
            c.front.postRawExtra(ExtraInfo.TYPE_MAX);
        }
    },
    SLOTS_EXCEED_AVAILABLE(GuestRule.SLOTS_EXCEED_AVAILABLE) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 200);
            c.front.postTx(c.front.txRef(1), 0, NetTxFlags.MORE_DATA, 2, 100);
        }
    },
    FATAL_SLOT_COUNT(GuestRule.FATAL_SLOT_COUNT) {
        @Override
        void post(GuestDriver c) {
            postSlots(c, 22, 30);
        }
    },
    SLOT_CROSSES_PAGE(GuestRule.SLOT_CROSSES_PAGE) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 300);
            c.front.postTx(c.front.txRef(1), 4000, 0, 2, 200);
        }
    },
    GSO_SIZE_ZERO(GuestRule.GSO_SIZE_ZERO) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
            c.front.postGso(0, 0, ExtraInfo.GSO_TYPE_TCPV4);
        }
    },
    GSO_TYPE_UNKNOWN(GuestRule.GSO_TYPE_UNKNOWN) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.EXTRA_INFO, 1, 64);
            c.front.postGso(0, 1448, 3);
        }
    },
    TOO_MANY_SLOTS(GuestRule.TOO_MANY_SLOTS) { // 19 fragments: 20 slots
        @Override
        void post(GuestDriver c) {
            postSlots(c, 20, 30);
        }
    },
    SLOT_LARGER_THAN_REMAINING(GuestRule.SLOT_LARGER_THAN_REMAINING) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 100);
            c.front.postTx(c.front.txRef(1), 0, 0, 2, 200);
        }
    },
    PACKET_TOO_SHORT(GuestRule.PACKET_TOO_SHORT) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, 0, 1, 13);
        }
    },
    GRANT_COPY_FAILED(GuestRule.GRANT_COPY_FAILED) {
        @Override
        void post(GuestDriver c) {
            c.front.postTx(c.front.txRef(0), 0, NetTxFlags.MORE_DATA, 1, 300);
            c.front.postTx(UNGRANTED, 0, NetTxFlags.MORE_DATA, 2, 100);
            c.front.postTx(c.front.txRef(2), 0, 0, 3, 100);
        }
    },
    MULTICAST_LIST_FULL(GuestRule.MULTICAST_LIST_FULL) {
        @Override
        void post(GuestDriver c) {
            for (int i = 0; i <= MulticastList.MAX; i++) {
                c.front.postTx(0, 0, NetTxFlags.EXTRA_INFO, 1000 + i, 0);
                c.front.postMcast(ExtraInfo.TYPE_MCAST_ADD, 0, 0x01005e000000L + i);
            }
        }
    },
    /** XSA-424: a long run of dropped packets (the drop path) mixed with good ones. */
    XSA_424_DROP_PATH_UNDER_LOAD(GuestRule.PACKET_TOO_SHORT) {
        @Override
        void post(GuestDriver c) {
            for (int i = 0; i < 60; i++) {
                c.front.postTx(c.front.txRef(i % 200), 0, 0, c.front.nextId(), 13);
                c.front.postTx(UNGRANTED, 0, 0, c.front.nextId(), 100);
                c.front.postPacket(c.frame(MacAddress.BROADCAST, 80, i));
            }
        }
    };

    /** A Tx ref the guest never granted. */
    static final int UNGRANTED = HarnessHost.GRANTS - 1;

    final GuestRule rule;

    Misbehaviour(GuestRule rule) {
        this.rule = rule;
    }

    /** Writes the requests (unpushed). */
    abstract void post(GuestDriver c);

    /** Posts, publishes and kicks: the backend sees the misbehaviour. */
    void provoke(GuestDriver c) {
        post(c);
        if (this != IMPOSSIBLE_REQUEST_COUNT) { // that one wrote req_prod itself
            c.front.pushTx();
        }
        c.front.events.notify(c.front.port);
    }

    private static void postSlots(GuestDriver c, int slots, int bytes) {
        int[] sizes = new int[slots];
        Arrays.fill(sizes, bytes);
        c.front.postPacket(c.frame(MacAddress.BROADCAST, slots * bytes, 1), 0, sizes);
    }
}
