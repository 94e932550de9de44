package org.xnb.netback.vnic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyState;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.lane.CpuAffinity;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneThread;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.prop.CpuList;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.protect.LinkProtection;
import org.xnb.vnic.protect.ProtectionCounters;
import org.xnb.vnic.stat.LaneCounter;

/**
 * The link properties of a {@link HostVnic} and where each takes effect (as for a vif, with dom0
 * in the guest's place):
 *
 * <pre>
 *  maxbw                  the lane's token bucket: what dom0 sends into the link
 *  priority               Lane.setPriority
 *  cpus                   sched_setaffinity of the lane's thread (DEDICATED lanes only)
 *  protection, allowed-ips  vnic's LinkProtection on the frames dom0 sends, drops counted per reason
 *  mtu                    the dom0 interface's MTU (ip link set mtu): the kernel sends no longer frame
 * </pre>
 *
 * Control path: every method holds this object's monitor; the lane reads volatiles only.
 */
public final class HostVnicProperties {
    private final HostVnic vnic;
    private LinkPropertyState state = LinkPropertyState.DEFAULTS;
    private int[] originalCpus;

    HostVnicProperties(HostVnic vnic) {
        this.vnic = vnic;
    }

    /** set-linkprop: {@code name=value[,name=value...]}, all or nothing. */
    public synchronized void set(String assignments) {
        apply(state.set(assignments));
    }

    /** reset-linkprop: back to the default. */
    public synchronized void reset(String name) {
        apply(state.reset(name));
    }

    private void apply(LinkPropertyState nextState) {
        LinkProperties next = nextState.values();
        LinkProperties current = state.values();
        Lane lane = vnic.lane();
        // the steps that can fail go first, so a refusal leaves everything as it was
        if (!Objects.equals(next.cpus(), current.cpus())) {
            pin(next);
        }
        if (next.mtu() != current.mtu()) {
            try {
                vnic.tap().link().mtu(next.mtu());
            } catch (RuntimeException e) {
                throw new LinkAdminException("mtu: " + e.getMessage());
            }
        }
        lane.setMaxBandwidth(nextState.isSet(LinkProperties.MAXBW) ? next.maxbw().getAsLong() : 0);
        lane.setPriority(LanePriority.valueOf(next.priority().name()));
        vnic.protection(LinkProtection.of(MacAddress.toBytes(vnic.mac()), vnic.vid(), next));
        state = nextState;
    }

    private void pin(LinkProperties next) {
        LaneThread t = vnic.lanes().threadOf(vnic.lane());
        if (vnic.lanes().mode() != ThreadingMode.DEDICATED || t == null) {
            throw new LinkAdminException("cpus: " + vnic.name() + "'s lane shares a thread with other lanes (daemon "
                    + "--threads " + vnic.lanes().mode().name().toLowerCase() + "); cpus needs --threads dedicated");
        }
        try {
            if (originalCpus == null) {
                originalCpus = CpuAffinity.cpusOf(t.tid());
            }
            CpuAffinity.pin(t.tid(), next.cpus().isPresent() ? next.cpus().get().cpus() : originalCpus);
        } catch (RuntimeException e) {
            throw new LinkAdminException("cpus: " + e.getMessage());
        }
    }

    /** show-linkprop rows in {@link LinkProperties#NAMES} order. */
    public synchronized List<LinkPropertyStatus> show() {
        List<LinkPropertyStatus> rows = new ArrayList<>();
        for (String name : LinkProperties.NAMES) {
            String value = state.isSet(name) || name.equals(LinkProperties.PRIORITY) ? state.values().get(name) : "--";
            rows.add(new LinkPropertyStatus(vnic.name(), name, "rw", value, effective(name, value),
                    LinkProperties.defaultText(name), LinkProperties.possibleText(name)));
        }
        return rows;
    }

    private String effective(String name, String value) {
        if (name.equals(LinkProperties.CPUS)) {
            LaneThread t = vnic.lanes().threadOf(vnic.lane());
            if (t != null && t.tid() >= 0 && t.alive()) {
                try {
                    return CpuList.format(CpuAffinity.cpusOf(t.tid()));
                } catch (RuntimeException e) {
                    return value;
                }
            }
        }
        if (name.equals(LinkProperties.MTU) && !state.isSet(name)) {
            return Integer.toString(state.values().mtu());
        }
        return value;
    }

    /** The values in force. */
    public synchronized LinkProperties values() {
        return state.values();
    }

    /** Whether {@code name} was set explicitly (and not reset since). */
    public synchronized boolean isSet(String name) {
        return state.isSet(name);
    }

    /** The lane's counters and protection's drops. */
    public LinkStatistics statistics() {
        Lane lane = vnic.lane();
        ProtectionCounters p = vnic.protectionCounters();
        return new LinkStatistics(vnic.name(), lane.counters().get(LaneCounter.IPKTS),
                lane.counters().get(LaneCounter.RBYTES), lane.counters().get(LaneCounter.OPKTS),
                lane.counters().get(LaneCounter.OBYTES), lane.counters().get(LaneCounter.SDROPS), p.macspoofed(),
                p.ipspoofed(), p.dhcpspoofed(), p.restricted(), p.malformed(), 0);
    }
}
