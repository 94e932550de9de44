package org.xnb.netback.vnic;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.netback.FrameMetadata;
import org.xnb.netback.FrameSink;
import org.xnb.netback.port.Port;
import org.xnb.netback.port.PortLink;
import org.xnb.netback.port.tap.TapUplinkReader;
import org.xnb.netback.port.tap.TapUplinkSink;
import org.xnb.netback.rx.FrameHandOff;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.lane.Lane;
import org.xnb.vnic.lane.LaneCounters;
import org.xnb.vnic.lane.LanePriority;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.LaneWork;
import org.xnb.vnic.protect.LinkProtection;
import org.xnb.vnic.protect.ProtectionCounters;
import org.xnb.vnic.protect.ProtectionVerdict;
import org.xnb.vnic.tap.IpLink;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;

/**
 * A VNIC made by {@code create-vnic}: dom0's own interface on a link. A TAP device named after the
 * VNIC, in the daemon's network namespace, with the VNIC's MAC, joined to the link's switch as a
 * member that owns that MAC, and run by a vnic lane like a vif:
 *
 * <pre>
 *  dom0 kernel --TAP fd (wake fd)--> lane: TapUplinkReader -> protection/mtu check -> PortLink -> switch
 *  switch --receiver: FrameHandOff.offer + Doorbell.ring--> lane: drain -> TapUplinkSink (writev) --> dom0
 * </pre>
 *
 * The lane counts what dom0 sends into the link as IPKTS/RBYTES (and maxbw limits it, as it limits
 * what a guest sends) and what it delivers to dom0 as OPKTS/OBYTES. Only the lane's thread touches
 * the TAP fd; other threads meet it in the hand-off's gate.
 */
public final class HostVnic implements AutoCloseable {
    /** Frames per direction per batch. */
    static final int BATCH = 64;
    public static final int MAX_VID = 4094;
    private static final Logger LOG = System.getLogger(HostVnic.class.getName());

    private final String name;
    private final String over;
    private final long mac;
    /** 802.1Q VLAN id, 0 = none. */
    private final int vid;
    private final TapDevice tap;
    private final FrameHandOff toTap = new FrameHandOff(1 << 20, 4096);
    private final HostVnicProperties properties;
    private final ProtectionCounters protectionCounters = new ProtectionCounters();
    private volatile LinkProtection protection;
    private volatile PortLink link;
    private volatile Lane lane;
    private LaneScheduler lanes;

    private HostVnic(String name, String over, long mac, int vid, TapDevice tap) {
        this.name = name;
        this.over = over;
        this.mac = mac;
        this.vid = vid;
        this.tap = tap;
        this.properties = new HostVnicProperties(this);
    }

    /** Whether an interface called {@code name} exists in this network namespace. */
    public static boolean interfaceExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /**
     * Creates the TAP device {@code name} with {@code mac}, sets it up, opens its lane on
     * {@code lanes} and attaches it to {@code port}; anything half made is undone on failure.
     */
    public static HostVnic open(String name, String over, long mac, int vid, Port port, LaneScheduler lanes) {
        if (vid < 0 || vid > MAX_VID) {
            throw new IllegalArgumentException("VLAN id " + vid + " is out of range; allowed: 1-" + MAX_VID
                    + " (or none)");
        }
        if (interfaceExists(name)) {
            throw new IllegalArgumentException("an interface called '" + name + "' already exists in dom0; "
                    + "a VNIC's name is its dom0 interface's name");
        }
        TapDevice tap = TapDevice.open(TapConfig.builder().name(name).standardOffloads(true).build());
        HostVnic v = new HostVnic(name, over, mac, vid, tap);
        try {
            IpLink ip = IpLink.of(tap.name());
            ip.mac(MacAddress.format(mac));
            ip.up();
            v.lanes = lanes;
            // attached first so the lane never sees a null link; frames queued meanwhile wait for it
            v.link = port.attach(name, mac, (address, length, metadata) -> {
                if (vid != 0 && !VlanTag.carries(address, length, vid)) {
                    return; // another VLAN's, or untagged: not for this VNIC
                }
                if (v.toTap.offer(address, length, metadata)) {
                    Lane l = v.lane;
                    if (l != null && l.doorbell() != null) {
                        l.doorbell().ring();
                    }
                }
            });
            v.lane = lanes.open(name, 0, v.new Work(), LanePriority.MEDIUM, 0);
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The link it is on. */
    public String over() {
        return over;
    }

    public long mac() {
        return mac;
    }

    /** 802.1Q VLAN id, 0 = none. */
    public int vid() {
        return vid;
    }

    public Lane lane() {
        return lane;
    }

    public LaneScheduler lanes() {
        return lanes;
    }

    public TapDevice tap() {
        return tap;
    }

    public HostVnicProperties properties() {
        return properties;
    }

    public ProtectionCounters protectionCounters() {
        return protectionCounters;
    }

    /** switch -> dom0 frames dropped because the hand-off was full. */
    public long handOffDrops() {
        return toTap.dropped();
    }

    void protection(LinkProtection p) {
        protection = p == null || !p.enabled() ? null : p;
    }

    /** Detaches from the switch, closes the lane, removes the TAP device. */
    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
        if (lane != null) {
            lanes.close(lane);
        }
        toTap.purge();
        tap.close();
        LOG.log(Level.INFO, "vnic {0}: TAP device removed", name);
    }

    /** The lane's work: both directions of the TAP queue, each bounded per batch. */
    private final class Work implements LaneWork, FrameSink {
        private final TapUplinkSink sink = new TapUplinkSink(tap.queue(0));
        private final TapUplinkReader reader = new TapUplinkReader(tap.queue(0), this, BATCH);
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        /** switch -> dom0 with a VLAN id: the tag removed in the hand-off's slot (the consumer owns it while draining). */
        private final FrameSink untagging = (address, length, metadata) -> sink.onFrame(VlanTag.remove(address),
                length - VlanTag.BYTES, metadata);
        private LaneCounters counters;
        private long drops;

        @Override
        public void onOpen(Lane opened) {
            counters = opened.counters();
        }

        @Override
        public int doWork() {
            long outFrames = sink.counters().frames;
            long outBytes = sink.counters().bytes;
            long inFrames = reader.counters().frames;
            long inBytes = reader.counters().bytes;
            int drained = toTap.drain(vid == 0 ? sink : untagging, BATCH);
            int read = reader.doWork();
            counters.out((int) (sink.counters().frames - outFrames), sink.counters().bytes - outBytes);
            counters.in((int) (reader.counters().frames - inFrames), reader.counters().bytes - inBytes);
            long d = sink.counters().drops() + reader.counters().drops() + toTap.dropped() + protectionCounters.total();
            if (d != drops) {
                counters.drop((int) (d - drops));
                drops = d;
            }
            return drained + read;
        }

        /** dom0 -> link: checked as a guest's Tx frames are, then to the switch. */
        @Override
        public void onFrame(long address, int length, FrameMetadata metadata) {
            if (vid != 0) { // the reader's buffer has its vnet header (>= 10 bytes, decoded) before the frame
                address = VlanTag.insert(address, vid);
                length += VlanTag.BYTES;
            }
            LinkProtection p = protection;
            if (p != null) {
                view.wrap(address, length);
                if (p.check(view, 0, length, protectionCounters) != ProtectionVerdict.PASS) {
                    return;
                }
            }
            link.onFrame(address, length, metadata);
        }

        @Override
        public boolean armNotifications() {
            return toTap.size() > 0; // the TAP fd is level-triggered: ppoll sees what is left there
        }

        @Override
        public void suppressNotifications() {
        }

        @Override
        public int wakeFd() {
            return tap.queue(0).fd();
        }
    }
}
