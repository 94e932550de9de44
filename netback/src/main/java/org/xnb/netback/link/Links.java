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
    /** Names declared with --link (never deleted by command). */
    private final java.util.Set<String> declared = new java.util.HashSet<>();
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
                l.declared.add(s.name());
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

    /**
     * create-etherstub: opens etherstub {@code name}. An etherstub of that name made on first use
     * by a vif (nobody declared it) is taken as it is; any other link of that name is refused.
     *
     * @return whether a new link was opened
     */
    public synchronized boolean createEtherstub(String name) {
        if (closed) {
            throw new IllegalStateException("links are closed (the daemon is stopping)");
        }
        Link l = links.get(name);
        if (l != null) {
            if (l.spec().kind() != LinkSpec.Kind.ETHERSTUB || declared.contains(name)) {
                throw new IllegalArgumentException("link '" + name + "' already exists ("
                        + (declared.contains(name) ? "declared with --link " : "") + l.spec() + ")");
            }
            return false;
        }
        if (links.size() >= MAX_LINKS) {
            throw new IllegalStateException("link '" + name + "': already " + MAX_LINKS + " links");
        }
        links.put(name, Link.open(LinkSpec.etherstub(name)));
        LOG.log(Level.INFO, "link {0}: etherstub created", name);
        return true;
    }

    /**
     * delete-etherstub: closes and forgets etherstub {@code name}, refused while anything is
     * attached to its switch or it was declared with {@code --link}.
     */
    public synchronized void deleteEtherstub(String name) {
        Link l = links.get(name);
        if (l == null || l.spec().kind() != LinkSpec.Kind.ETHERSTUB) {
            throw new IllegalArgumentException("no etherstub '" + name + "'" + (l == null ? "" : " (it is " + l.spec() + ")"));
        }
        if (declared.contains(name)) {
            throw new IllegalArgumentException("etherstub '" + name + "' was declared with --link on the daemon's "
                    + "command line; it cannot be deleted");
        }
        int members = l.port().memberCount();
        if (members > 0) {
            throw new IllegalArgumentException("etherstub '" + name + "' is in use: " + members
                    + " VNIC(s) or vif(s) are on it; delete or detach them first");
        }
        links.remove(name);
        l.close();
        LOG.log(Level.INFO, "link {0}: etherstub deleted", name);
    }

    /** Whether a Linux bridge {@code name} exists here (a link of that name would join it). */
    public boolean bridgeExists(String name) {
        return bridges.exists(name);
    }

    /** Whether {@code name} was declared with {@code --link}. */
    public synchronized boolean isDeclared(String name) {
        return declared.contains(name);
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
