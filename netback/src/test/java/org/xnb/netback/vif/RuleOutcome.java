package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.xnb.grant.netif.Netif;
import org.xnb.netback.GuestRule;

/**
 * What a guest that broke a rule ({@link Misbehaviour}) must end as, shared by the end-to-end
 * tests: a fatal rule disables its vif alone, a dropping rule answers every slot and keeps
 * serving it.
 */
final class RuleOutcome {
    private RuleOutcome() {
    }

    /**
     * Fatal: only {@code domid}'s vif is disabled, its thread ended, the rule named once by the
     * engine and once by the vif; every other vif still runs and is still in the switch.
     */
    static void assertDisabledAlone(VifRig rig, LogCapture log, int domid, GuestRule rule) {
        Vif vc = rig.vif(domid);
        await().atMost(VifRig.WAIT).until(() -> vc.disabled() && !vc.thread().isAlive());
        assertEquals(rule, vc.fatalError().rule());
        assertEquals(1, vc.tx().counters().errors(rule));
        assertEquals(1, log.count("fatal error, disabling device", "domain " + domid + " ", rule.name()),
                log.lines().toString());
        assertEquals(1, log.count("vif" + domid + ".0: disabled", rule.name()), log.lines().toString());
        assertEquals(2, log.count(rule.name()), log.lines().toString());
        int others = 0;
        for (Vif v : rig.service.vifs().vifs().values()) {
            if (v != vc) {
                assertFalse(v.disabled(), v + " disabled too");
                others++;
            }
        }
        assertEquals(others, rig.service.port().memberCount());
        assertEquals("4", rig.toolstack.backendState(domid, 0), "a disabled vif stays Connected");
    }

    /**
     * Dropped: every slot answered, RSP_ERROR among them and nothing but OKAY/ERROR/NULL, the
     * rule counted, C not disabled and nothing logged as fatal.
     */
    static void assertDroppedAndServing(GuestDriver c, Vif vc, GuestRule rule, LogCapture log) {
        await().atMost(VifRig.WAIT).until(() -> c.front.tx.responseProducer() == c.front.tx.requestProducer());
        List<int[]> rsp = c.front.txResponses();
        assertTrue(rsp.stream().anyMatch(r -> r[1] == Netif.RSP_ERROR), "an error among the answers");
        assertTrue(rsp.stream().allMatch(r -> r[1] == Netif.RSP_ERROR || r[1] == Netif.RSP_OKAY
                || r[1] == Netif.RSP_NULL), "only OKAY/ERROR/NULL");
        assertTrue(vc.tx().counters().errors(rule) >= 1);
        assertFalse(vc.disabled());
        assertEquals(0, log.count(rule.name()), "a dropped packet is not logged as fatal");
    }
}
