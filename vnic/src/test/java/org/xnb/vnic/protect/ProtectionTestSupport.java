package org.xnb.vnic.protect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.vnic.prop.LinkProperties;

/** A VNIC with the guest MAC, VLAN 0, and properties from a dladm -p string. */
class ProtectionTestSupport {
    static final byte[] MAC = {0x00, 0x16, 0x3e, 0x00, 0x00, (byte) 0xa1};
    final ProtectionCounters counters = new ProtectionCounters();

    static LinkProtection vnic(String properties) {
        return vnic(properties, 0);
    }

    static LinkProtection vnic(String properties, int vid) {
        return LinkProtection.of(MAC, vid, LinkProperties.defaults(2).setAll(properties));
    }

    void expect(ProtectionVerdict v, LinkProtection p, UnsafeBuffer frame, String why) {
        long before = counters.total();
        assertEquals(v, p.check(frame, 0, frame.capacity(), counters), why);
        assertEquals(before + (v == ProtectionVerdict.PASS ? 0 : 1), counters.total(), "every drop counted once: " + why);
    }
}
