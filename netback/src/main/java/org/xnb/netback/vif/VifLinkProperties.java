package org.xnb.netback.vif;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyState;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.lane.CpuAffinity;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.prop.Bandwidth;
import org.xnb.vnic.prop.CpuList;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.protect.LinkProtection;
import org.xnb.vnic.protect.ProtectionCounters;
import org.xnb.vnic.stat.LaneCounter;

/**
 * The link properties of one live vif (vnic's {@link LinkProperties}, validated there) and where
 * each takes effect:
 *
 * <pre>
 *  maxbw            the lane's token bucket (Lane.setMaxBandwidth: what the guest sends); while set,
 *                   the Tx credit of the xenstore rate is made unlimited (the conflict logged once);
 *                   reset: no bucket, the rate's credit again. Unset, show-linkprop's EFFECTIVE is
 *                   the rate as bits/s.
 *  priority         Lane.setPriority (order and batches per round on a shared thread)
 *  cpus             sched_setaffinity of the lane's thread (DEDICATED lanes only); reset: the
 *                   affinity it had before the first set
 *  protection,      vnic's LinkProtection in the vif's TxFilter: spoofed frames dropped before the
 *  allowed-ips      port, counted per reason
 *  mtu              once set, Tx frames longer than mtu + 18 bytes (not GSO) are dropped and counted;
 *                   never set: no check (the netif protocol's limits only)
 * </pre>
 *
 * Control path: every method holds this object's monitor; the lane only reads volatiles.
 */
public final class VifLinkProperties {
    private static final Logger LOG = System.getLogger(VifLinkProperties.class.getName());

    private final Vif vif;
    /** Every queue's Tx filter; the first one's counters are what a single-queue vif reports. */
    private final List<TxFilter> filters;
    private final TxFilter filter;
    private final byte[] mac;
    private LinkPropertyState state = LinkPropertyState.DEFAULTS;
    private boolean overriding;
    private boolean conflictLogged;
    /** The lane thread's affinity before set-linkprop cpus first pinned it. */
    private int[] originalCpus;

    VifLinkProperties(Vif vif, List<TxFilter> filters, String mac) {
        this.vif = vif;
        this.filters = List.copyOf(filters);
        this.filter = filters.get(0);
        this.mac = MacAddress.toBytes(MacAddress.parse(mac));
    }

    /** set-linkprop: {@code name=value[,name=value...]}, all or nothing. */
    public synchronized void set(String assignments) {
        apply(state.set(assignments));
    }

    /** reset-linkprop: the property back to its default. */
    public synchronized void reset(String name) {
        apply(state.reset(name));
    }

    private void apply(LinkPropertyState nextState) {
        LinkProperties next = nextState.values();
        LinkProperties current = state.values();
        Lane lane = vif.lane();
        if (vif.disabled() || lane == null) {
            throw new LinkAdminException(vif + " is disabled (fatal guest error); its properties cannot change");
        }
        // the only step that can fail goes first, so a refusal leaves everything as it was
        boolean cpusChanged = !Objects.equals(next.cpus(), current.cpus());
        if (cpusChanged) {
            pin(next);
        }
        // a multi-queue vif: every queue's lane gets the property (maxbw per lane, as the
        // xenstore rate is a credit per queue in Linux)
        if (nextState.isSet(LinkProperties.MAXBW)) {
            vif.lanes().forEach(l -> l.setMaxBandwidth(next.maxbw().getAsLong()));
            if (!overriding) {
                overriding = true;
                vif.overrideCredit(true);
            }
            logConflictOnce(vif.rate(), next);
        } else {
            vif.lanes().forEach(l -> l.setMaxBandwidth(0));
            if (overriding) {
                overriding = false;
                vif.overrideCredit(false);
            }
        }
        vif.lanes().forEach(l -> l.setPriority(LanePriority.valueOf(next.priority().name())));
        for (TxFilter f : filters) {
            f.protection(LinkProtection.of(mac, 0, next));
            f.mtu(nextState.isSet(LinkProperties.MTU) ? next.mtu() : 0);
        }
        state = nextState;
    }

    private void pin(LinkProperties next) {
        LaneThread t = vif.laneThread();
        if (vif.threadingMode() != ThreadingMode.DEDICATED || t == null) {
            throw new LinkAdminException("cpus: " + vif + "'s lane shares a thread with other lanes (daemon --threads "
                    + vif.threadingMode().name().toLowerCase() + "); cpus needs --threads dedicated");
        }
        try {
            if (originalCpus == null) {
                originalCpus = CpuAffinity.cpusOf(t.tid());
            }
            for (LaneThread each : vif.laneThreads()) { // every queue's thread
                CpuAffinity.pin(each.tid(), next.cpus().isPresent() ? next.cpus().get().cpus() : originalCpus);
            }
        } catch (RuntimeException e) {
            throw new LinkAdminException("cpus: " + e.getMessage());
        }
    }

    /** From {@link Vif#rateChanged}: whether an explicit maxbw keeps the new rate out of the Tx credit. */
    synchronized boolean maxbwOverrides(RateLimit rate) {
        if (overriding) {
            logConflictOnce(rate, state.values());
        }
        return overriding;
    }

    private void logConflictOnce(RateLimit rate, LinkProperties with) {
        if (!conflictLogged && !rate.isUnlimited()) {
            conflictLogged = true;
            LOG.log(Level.WARNING, "{0}: maxbw {1} set with set-linkprop wins over the xenstore rate ({2});"
                    + " the Tx credit is unlimited until reset-linkprop -p maxbw", vif,
                    with.get(LinkProperties.MAXBW), rate);
        }
    }

    /** The xenstore rate in bits/s, or 0 for none. */
    static long rateBitsPerSecond(RateLimit rate) {
        if (rate.isUnlimited() || rate.creditUsec() == 0) {
            return 0;
        }
        BigInteger bits = new BigInteger(Long.toUnsignedString(rate.creditBytes())).multiply(BigInteger.valueOf(8_000_000))
                .divide(new BigInteger(Long.toUnsignedString(rate.creditUsec())));
        return bits.bitLength() < 63 ? bits.longValue() : Long.MAX_VALUE;
    }

    /** show-linkprop rows in {@link LinkProperties#NAMES} order. */
    public synchronized List<LinkPropertyStatus> show() {
        List<LinkPropertyStatus> rows = new ArrayList<>();
        for (String name : LinkProperties.NAMES) {
            String value = state.isSet(name) ? state.values().get(name)
                    : name.equals(LinkProperties.PRIORITY) ? state.values().get(name) : "--";
            rows.add(new LinkPropertyStatus(vif.toString(), name, "rw", value, effective(name, value),
                    LinkProperties.defaultText(name), LinkProperties.possibleText(name)));
        }
        return rows;
    }

    private String effective(String name, String value) {
        switch (name) {
            case LinkProperties.MAXBW: {
                if (state.isSet(name)) {
                    return value;
                }
                long bits = rateBitsPerSecond(vif.rate());
                return bits == 0 ? "--" : Bandwidth.formatMbps(bits);
            }
            case LinkProperties.PRIORITY: {
                Lane lane = vif.lane();
                return lane == null ? value : lane.priority().toString();
            }
            case LinkProperties.CPUS: {
                LaneThread t = vif.laneThread();
                if (t == null || t.tid() < 0 || !t.alive()) {
                    return value;
                }
                try {
                    return CpuList.format(CpuAffinity.cpusOf(t.tid()));
                } catch (RuntimeException e) {
                    return value;
                }
            }
            default:
                return value;
        }
    }

    /** The values in force (defaults for what was never set). */
    public synchronized LinkProperties values() {
        return state.values();
    }

    /** Whether {@code name} was set explicitly (and not reset since). */
    public synchronized boolean isSet(String name) {
        return state.isSet(name);
    }

    /** Link protection's drops on queue 0's Tx path, by reason (a single-queue vif's all). */
    public ProtectionCounters protectionCounters() {
        return filter.protectionCounters();
    }

    /** Tx frames dropped for being longer than the mtu allows, over every queue. */
    public long mtuDrops() {
        long n = 0;
        for (TxFilter f : filters) {
            n += f.mtuDrops();
        }
        return n;
    }

    /**
     * The lanes' counters summed over the vif's queues and the Tx filters' drops (zeros for the
     * lanes of a disabled vif).
     */
    public LinkStatistics statistics() {
        boolean live = !vif.disabled();
        long[] c = new long[5];
        LaneCounter[] which = {LaneCounter.IPKTS, LaneCounter.RBYTES, LaneCounter.OPKTS, LaneCounter.OBYTES,
            LaneCounter.SDROPS};
        if (live) {
            for (Lane lane : vif.lanes()) {
                for (int i = 0; i < which.length && lane != null; i++) {
                    c[i] += lane.counters().get(which[i]);
                }
            }
        }
        long mac = 0;
        long ip = 0;
        long dhcp = 0;
        long restricted = 0;
        long malformed = 0;
        for (TxFilter f : filters) {
            ProtectionCounters p = f.protectionCounters();
            mac += p.macspoofed();
            ip += p.ipspoofed();
            dhcp += p.dhcpspoofed();
            restricted += p.restricted();
            malformed += p.malformed();
        }
        return new LinkStatistics(vif.toString(), c[0], c[1], c[2], c[3], c[4], mac, ip, dhcp, restricted, malformed,
                mtuDrops());
    }
}
