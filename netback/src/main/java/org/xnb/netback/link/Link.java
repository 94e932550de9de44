package org.xnb.netback.link;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.xnb.netback.port.LearningSwitch;
import org.xnb.netback.port.tap.TapUplinkPort;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;
import org.xnb.vnic.tap.IpLink;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.tap.TapException;

/**
 * One link of the daemon: a {@link LearningSwitch} among the vifs that name it, and for a tap
 * link a TAP device as dom0's member ({@link TapUplinkPort}). Opening a tap link creates the
 * device ({@code IFF_TAP|IFF_NO_PI|IFF_VNET_HDR}, checksum and TSO offloads), then moves it into
 * its namespace and gives it its address, or enslaves it to its Linux bridge, and sets it up.
 * Closing stops the uplink and closes the fd, which removes the device (it is not persistent),
 * wherever it was moved.
 */
public final class Link implements AutoCloseable {
    private static final Logger LOG = System.getLogger(Link.class.getName());

    private final LinkSpec spec;
    private final LearningSwitch port;
    private final TapDevice tap;
    private final TapUplinkPort uplink;

    private Link(LinkSpec spec, LearningSwitch port, TapDevice tap, TapUplinkPort uplink) {
        this.spec = spec;
        this.port = port;
        this.tap = tap;
        this.uplink = uplink;
    }

    public static Link open(LinkSpec spec) {
        return open(spec, 1);
    }

    /**
     * As {@link #open(LinkSpec)}, a tap link's TAP opened with {@code tapQueues} queues
     * ({@code IFF_MULTI_QUEUE} when more than one), each with its own uplink thread: the daemon
     * gives its {@code --max-queues}, so the guests' lanes meet as many dom0 queues.
     */
    public static Link open(LinkSpec spec, int tapQueues) {
        if (spec.kind() == LinkSpec.Kind.ETHERSTUB) {
            return new Link(spec, new LearningSwitch(), null, null);
        }
        TapDevice tap;
        try {
            tap = TapDevice.open(TapConfig.builder().name(spec.ifname()).queues(tapQueues).multiQueue(tapQueues > 1)
                    .standardOffloads(true).build());
        } catch (RuntimeException e) {
            throw new LinkException(spec.name(), e);
        }
        try {
            IpLink ip = IpLink.of(tap.name());
            if (spec.netns() != null) {
                ip = ip.moveTo(spec.netns());
            }
            if (spec.address() != null) {
                ip.addAddress(spec.address());
            }
            if (spec.bridge() != null) {
                CommandResult r = Commands.run(Duration.ofSeconds(10), "ip", "link", "set", "dev", tap.name(),
                        "master", spec.bridge());
                if (!r.ok()) {
                    throw new TapException(r.describe(), 0);
                }
            }
            ip.up();
            LearningSwitch port = new LearningSwitch();
            return new Link(spec, port, tap, TapUplinkPort.start("tap-" + tap.name(), tap.queues(), port));
        } catch (RuntimeException e) {
            tap.close();
            throw new LinkException(spec.name(), e);
        }
    }

    public LinkSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public LearningSwitch port() {
        return port;
    }

    /** The uplink, or null for an etherstub. */
    public TapUplinkPort uplink() {
        return uplink;
    }

    @Override
    public void close() {
        if (uplink != null) {
            uplink.close();
            LOG.log(Level.INFO, "link " + spec.name() + ": uplink to dom0 " + uplink.toTap() + ", hand-off drops "
                    + uplink.handOffDrops() + "; from dom0 " + uplink.fromTap());
        }
        if (tap != null) {
            tap.close();
            LOG.log(Level.INFO, "link {0}: TAP device {1} removed", spec.name(), tap.name());
        }
    }
}
