package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.harness.hypervisor.HarnessGuest;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.port.MacAddress;

/**
 * An advisory's attack on the Tx ring whose outcome is not one rule but "fatal by some rule, or
 * every request answered, never more": shared by {@link VifGuestRulesEndToEndTest} and
 * {@code VifGuestRulesIperfIT}.
 */
enum RingAttack {
    /** XSA-39: a Tx ring full of garbage and a full ring's req_prod. */
    XSA_39_GARBAGE_TX_RING {
        @Override
        void attack(GuestDriver c) {
            byte[] junk = new byte[Netif.TX_RING_SIZE * Netif.TX_SLOT_BYTES];
            new Random(39).nextBytes(junk);
            c.front.memory.putBytes(TX_RING + SharedRingDescriptor.ENTRIES_OFFSET, junk);
            c.front.memory.putIntVolatile(TX_RING, Netif.TX_RING_SIZE);
            c.front.events.notify(c.front.port);
        }

        @Override
        int requests(GuestDriver c) {
            return Netif.TX_RING_SIZE;
        }
    },
    /**
     * XSA-155 (double fetch): C rewrites its whole Tx ring for 300 ms from another thread while
     * the backend consumes 150 well-formed packets: each request is copied once, so whatever it
     * reads C ends answered or disabled by a rule.
     */
    XSA_155_RING_REWRITTEN_UNDER_THE_BACKEND {
        @Override
        void attack(GuestDriver c) throws InterruptedException {
            for (int i = 0; i < 150; i++) {
                c.front.postPacket(c.frame(MacAddress.BROADCAST, 3000, i), 0, new int[] {1000, 2000});
            }
            Thread rewriter = new Thread(() -> {
                Random r = new Random(155);
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    int slot = r.nextInt(Netif.TX_RING_SIZE);
                    int at = TX_RING + SharedRingDescriptor.ENTRIES_OFFSET + slot * Netif.TX_SLOT_BYTES;
                    c.front.memory.putLong(at, r.nextLong());
                    c.front.memory.putInt(at + 8, r.nextInt());
                }
            });
            c.front.pushTx();
            c.front.events.notify(c.front.port);
            rewriter.start();
            rewriter.join();
            c.front.events.notify(c.front.port);
        }

        @Override
        int requests(GuestDriver c) {
            return c.front.tx.requestProducer();
        }
    };

    private static final int TX_RING = HarnessGuest.frameOffset(MockNetfront.TX_RING_FRAME);

    abstract void attack(GuestDriver c) throws InterruptedException;

    /** The req_prod the guest ends with: what the backend must answer unless it disables C. */
    abstract int requests(GuestDriver c);

    /** C is disabled by a rule (named once by the vif) or every request is answered, no more. */
    void assertFatalOrAnswered(GuestDriver c, Vif vc, LogCapture log) {
        await().atMost(VifRig.WAIT).until(() -> vc.disabled() || c.front.tx.responseProducer() == requests(c));
        if (vc.disabled()) {
            assertEquals(1, log.count("vif" + c.domid + ".0: disabled", vc.fatalError().rule().name()),
                    log.lines().toString());
        } else {
            assertEquals(requests(c), c.front.tx.responseProducer(), "answers beyond the requests");
        }
    }
}
