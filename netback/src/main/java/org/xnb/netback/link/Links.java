package org.xnb.netback.link;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.netback.port.Port;
import org.xnb.netback.vif.PortSelector;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifId;

/**
 * The daemon's links, chosen per vif by its xenstore {@code bridge} key ({@link #DEFAULT_LINK}
 * when there is none, as libxl's default bridge). Declared links ({@code --link}) open at start;
 * a name nobody declared becomes, on first use and logged once, a tap link enslaved to the Linux
 * bridge of that name if one exists here (what Xen's vif-bridge script would have done with the
 * kernel's vif), else an etherstub of that name.
 *
 * <p>Called on the xenbus thread ({@link #portFor}) and at stop ({@link #close}); links live until
 * the daemon stops (a link without vifs costs a sleeping thread at most).
 */
public final class Links implements PortSelector, AutoCloseable {
    public static final String DEFAULT_LINK = "xenbr0";
    /** Links held at most (each tap link is a device and a thread); a vif naming one more is refused. */
    public static final int MAX_LINKS = 256;
    private static final Logger LOG = System.getLogger(Links.class.getName());

    private final HostBridges bridges;
    private final Map<String, Link> links = new LinkedHashMap<>();
    private boolean closed;
    /** Queues of every tap link's TAP (the daemon's --max-queues). */
    private final int tapQueues;

    private Links(HostBridges bridges, int tapQueues) {
        if (tapQueues < 1) {
            throw new IllegalArgumentException("TAP queues must be >= 1: " + tapQueues);
        }
        this.bridges = bridges;
        this.tapQueues = tapQueues;
    }

    /** Opens every declared link (closing those already opened if one fails). */
    public static Links open(List<LinkSpec> declared, HostBridges bridges) {
        return open(declared, bridges, 1);
    }

    /** As above, every tap link's TAP with {@code tapQueues} queues (an uplink thread each). */
    public static Links open(List<LinkSpec> declared, HostBridges bridges, int tapQueues) {
        Links l = new Links(bridges, tapQueues);
        try {
            for (LinkSpec s : declared) {
                if (l.links.containsKey(s.name())) {
                    throw new IllegalArgumentException("link '" + s.name() + "' declared twice");
                }
                l.links.put(s.name(), Link.open(s, l.tapQueues));
                LOG.log(Level.INFO, "link {0} ({1})", s.name(), s);
            }
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    @Override
    public synchronized Port portFor(VifId id, VifConfig config) {
        return link(config.bridge() == null || config.bridge().isEmpty() ? DEFAULT_LINK : config.bridge()).port();
    }

    @Override
    public String linkName(VifConfig config) {
        return config.bridge() == null || config.bridge().isEmpty() ? DEFAULT_LINK : config.bridge();
    }

    /** The link {@code name}, made on first use if it was not declared. */
    public synchronized Link link(String name) {
        if (closed) {
            throw new IllegalStateException("links are closed (the daemon is stopping)");
        }
        Link l = links.get(name);
        if (l != null) {
            return l;
        }
        if (links.size() >= MAX_LINKS) {
            throw new IllegalStateException("link '" + name + "': already " + MAX_LINKS + " links");
        }
        LinkSpec spec = bridges.exists(name) ? LinkSpec.tapOnBridge(name) : LinkSpec.etherstub(name);
        l = Link.open(spec, tapQueues);
        links.put(name, l);
        LOG.log(Level.INFO, "link {0}: not declared; {1}", name, spec.kind() == LinkSpec.Kind.TAP
                ? "Linux bridge " + name + " exists here, joined through TAP " + spec.ifname()
                : "no Linux bridge of that name here, an etherstub");
        return l;
    }

    /** A snapshot of the links open now. */
    public synchronized Map<String, Link> links() {
        return Map.copyOf(links);
    }

    /** Closes every link (their TAP devices go). */
    @Override
    public synchronized void close() {
        closed = true;
        for (Link l : links.values()) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing link " + l.name() + ": " + e);
            }
        }
        links.clear();
    }
}
