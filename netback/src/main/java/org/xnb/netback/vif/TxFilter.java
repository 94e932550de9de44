package org.xnb.netback.vif;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.vnic.protect.LinkProtection;
import org.xnb.vnic.protect.ProtectionCounters;
import org.xnb.vnic.protect.ProtectionVerdict;

/**
 * A vif's Tx path between its Tx engine and the port: what the guest sends is checked by vnic's
 * {@link LinkProtection} (the {@code protection} and {@code allowed-ips} properties) and against an
 * explicitly set {@code mtu} before the port sees it. A dropped frame is counted by reason and is
 * never forwarded; the guest's request was answered OKAY already (as a NIC drops on the wire).
 *
 * <p>Threads: {@link #onFrame} on the vif's lane only (single writer of the counters, one view
 * buffer re-wrapped per frame, nothing allocated); the settings are volatile, set from the admin
 * thread and read once per frame.
 */
final class TxFilter implements FrameSink {
    /** Ethernet header and one 802.1Q tag on top of the mtu (Linux's VLAN_ETH_HLEN). */
    static final int L2_OVERHEAD = 18;

    private final FrameSink next;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final ProtectionCounters counters = new ProtectionCounters();
    /** null = no protection. */
    private volatile LinkProtection protection;
    /** 0 = no mtu check (the property was never set). */
    private volatile int maxFrame;
    private volatile long mtuDrops;

    TxFilter(FrameSink next) {
        this.next = next;
    }

    @Override
    public void onFrame(long address, int length, FrameMetadata metadata) {
        LinkProtection p = protection;
        if (p != null) {
            view.wrap(address, length);
            if (p.check(view, 0, length, counters) != ProtectionVerdict.PASS) {
                return;
            }
        }
        int max = maxFrame;
        if (max > 0 && length > max && !metadata.isGso()) {
            mtuDrops++; // single writer: the lane
            return;
        }
        next.onFrame(address, length, metadata);
    }

    /** null or a protection with nothing enabled: off. */
    void protection(LinkProtection p) {
        protection = p == null || !p.enabled() ? null : p;
    }

    /** Frames longer than {@code mtu} + 18 bytes (and not GSO) are dropped; 0 = no check. */
    void mtu(int mtu) {
        maxFrame = mtu == 0 ? 0 : mtu + L2_OVERHEAD;
    }

    ProtectionCounters protectionCounters() {
        return counters;
    }

    long mtuDrops() {
        return mtuDrops;
    }

    /** Every frame this filter dropped. */
    long drops() {
        return counters.total() + mtuDrops;
    }
}
