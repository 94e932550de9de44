package org.xnb.netback.vnic;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.xnb.netback.admin.CaptureAdmin;
import org.xnb.netback.admin.DatalinkNames;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.EtherstubStatus;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicAdmin;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.netback.link.Link;
import org.xnb.netback.link.LinkSpec;
import org.xnb.netback.link.Links;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.PropertyException;

/**
 * The daemon's datalinks for the admin commands: the guests' vifs (another {@link LinkAdmin},
 * {@code NetbackService}), the etherstubs of {@link Links} and the VNICs made by command
 * ({@link HostVnic}). Every {@link LinkAdmin} call names a vif or a VNIC; the VNICs' are answered
 * here, the rest passed on. Control path; every method holds this object's monitor.
 */
public final class VnicManager implements LinkAdmin, VnicAdmin, FlowAdmin, CaptureAdmin, AutoCloseable {
    private static final Logger LOG = System.getLogger(VnicManager.class.getName());

    private final Links links;
    private final LaneScheduler lanes;
    private final LinkAdmin vifs;
    private final RandomGenerator random;
    private final Map<String, HostVnic> vnics = new TreeMap<>();

    public VnicManager(Links links, LaneScheduler lanes, LinkAdmin vifs, RandomGenerator random) {
        this.links = links;
        this.lanes = lanes;
        this.vifs = vifs;
        this.random = random;
    }

    // ---- VnicAdmin ----

    @Override
    public synchronized void createEtherstub(String name) {
        DatalinkNames.check(name, "etherstub", DatalinkNames.ETHERSTUB_MAX);
        if (vnics.containsKey(name)) {
            throw new LinkAdminException("link '" + name + "' already exists (a VNIC)");
        }
        links.createEtherstub(name);
    }

    @Override
    public synchronized void deleteEtherstub(String name) {
        for (HostVnic v : vnics.values()) {
            if (v.over().equals(name)) {
                throw new LinkAdminException("etherstub '" + name + "' is in use by VNIC " + v.name()
                        + "; delete-vnic it first");
            }
        }
        links.deleteEtherstub(name);
    }

    @Override
    public synchronized List<EtherstubStatus> etherstubs() {
        Map<String, List<String>> on = new TreeMap<>();
        for (Map.Entry<String, Link> e : links.links().entrySet()) {
            if (e.getValue().spec().kind() == LinkSpec.Kind.ETHERSTUB) {
                on.put(e.getKey(), new ArrayList<>());
            }
        }
        for (VnicStatus v : vifs.vnics()) {
            if (on.containsKey(v.over())) {
                on.get(v.over()).add(v.name());
            }
        }
        for (HostVnic v : vnics.values()) {
            if (on.containsKey(v.over())) {
                on.get(v.over()).add(v.name());
            }
        }
        List<EtherstubStatus> out = new ArrayList<>();
        on.forEach((k, v) -> out.add(new EtherstubStatus(k, v.stream().sorted().toList())));
        return out;
    }

    @Override
    public synchronized VnicStatus createVnic(String name, String over, String mac, int vid, String properties) {
        DatalinkNames.check(name, "VNIC", DatalinkNames.VNIC_MAX);
        if (vnics.containsKey(name) || links.links().containsKey(name)) {
            throw new LinkAdminException("link '" + name + "' already exists ("
                    + (vnics.containsKey(name) ? "a VNIC over " + vnics.get(name).over() : "a link") + ")");
        }
        if (over == null || over.isEmpty()) {
            throw new LinkAdminException("create-vnic needs -l LINK: an etherstub or a link of the daemon");
        }
        if (vnics.containsKey(over)) {
            throw new LinkAdminException("-l " + over + ": a VNIC cannot be over another VNIC; use an etherstub or "
                    + "a link of the daemon (" + String.join(", ", links.links().keySet()) + ")");
        }
        if (!links.links().containsKey(over) && !links.bridgeExists(over)) {
            List<String> names = new ArrayList<>(new TreeMap<>(links.links()).keySet());
            throw new LinkAdminException("no link '" + over + "' to create the VNIC over; the links are: "
                    + (names.isEmpty() ? "none" : String.join(", ", names))
                    + " (make one with create-etherstub, or with the daemon's --link)");
        }
        if (vid < 0 || vid > HostVnic.MAX_VID) {
            throw new LinkAdminException("-v " + vid + ": a VLAN id is 1-" + HostVnic.MAX_VID + " (or no -v: untagged)");
        }
        long address;
        try {
            address = mac == null ? MacAddress.randomXen(random) : MacAddress.parse(mac);
        } catch (IllegalArgumentException e) {
            throw new LinkAdminException(e.getMessage());
        }
        if (org.xnb.netback.port.MacAddress.isGroup(address) || address == 0) {
            throw new LinkAdminException("MAC address '" + mac + "' is a multicast or zero address; a VNIC needs a"
                    + " unicast address like 00:16:3e:12:34:56");
        }
        if (properties != null && !properties.isEmpty()) {
            try {
                LinkProperties.defaults().setAll(properties); // refuse before making anything
            } catch (PropertyException e) {
                throw new LinkAdminException(e.getMessage());
            }
        }
        Link link = links.link(over);
        HostVnic v;
        try {
            v = HostVnic.open(name, over, address, vid, link.port(), lanes);
        } catch (LinkAdminException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LinkAdminException("VNIC " + name + ": " + e.getMessage());
        }
        try {
            if (properties != null && !properties.isEmpty()) {
                v.properties().set(properties);
            }
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
        vnics.put(name, v);
        LOG.log(Level.INFO, "vnic {0}: created over {1}, mac {2}, TAP device {0}", name, over,
                MacAddress.format(address));
        return status(v);
    }

    @Override
    public synchronized void deleteVnic(String name) {
        HostVnic v = vnics.remove(name);
        if (v == null) {
            throw new LinkAdminException(noVnic(name));
        }
        v.close();
        LOG.log(Level.INFO, "vnic {0}: deleted", name);
    }

    private String noVnic(String name) {
        if (name.matches("vif[0-9]+\\.[0-9]+")) {
            return "'" + name + "' is a guest's vif; it goes when the guest detaches it (xl network-detach, "
                    + "xnb detach)";
        }
        return "no VNIC '" + name + "'; the VNICs made by create-vnic are: "
                + (vnics.isEmpty() ? "none" : String.join(", ", vnics.keySet()));
    }

    /** The VNIC made by create-vnic called {@code name}, or null. */
    public synchronized HostVnic vnic(String name) {
        return vnics.get(name);
    }

    /** The VLAN id of VNIC {@code name} made by command, 0 for none or a vif. */
    @Override
    public synchronized int vid(String name) {
        HostVnic v = vnics.get(name);
        return v == null ? 0 : v.vid();
    }

    private static VnicStatus status(HostVnic v) {
        return new VnicStatus(v.name(), 0, -1, v.over(), MacAddress.format(v.mac()),
                v.lane().failure() == null ? "up" : "failed", null);
    }

    // ---- LinkAdmin: vifs first (by domain and device), then VNICs by name ----

    @Override
    public synchronized List<VnicStatus> vnics() {
        List<VnicStatus> out = new ArrayList<>(vifs.vnics());
        for (HostVnic v : vnics.values()) {
            out.add(status(v));
        }
        return out;
    }

    @Override
    public synchronized List<LinkStatistics> statistics(String link) {
        HostVnic v = link == null ? null : vnics.get(link);
        if (v != null) {
            return List.of(v.properties().statistics());
        }
        List<LinkStatistics> out = new ArrayList<>(vifs.statistics(link));
        if (link == null) {
            for (HostVnic h : vnics.values()) {
                out.add(h.properties().statistics());
            }
        }
        return out;
    }

    @Override
    public synchronized List<LinkPropertyStatus> properties(String link) {
        HostVnic v = link == null ? null : vnics.get(link);
        if (v != null) {
            return v.properties().show();
        }
        List<LinkPropertyStatus> out = new ArrayList<>(vifs.properties(link));
        if (link == null) {
            for (HostVnic h : vnics.values()) {
                out.addAll(h.properties().show());
            }
        }
        return out;
    }

    @Override
    public synchronized void setProperties(String link, String assignments, boolean temporary) {
        HostVnic v = vnics.get(link);
        if (v == null) {
            vifs.setProperties(link, assignments, temporary);
            return;
        }
        try {
            v.properties().set(assignments);
        } catch (LinkAdminException e) {
            throw new LinkAdminException(link + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void resetProperty(String link, String name) {
        HostVnic v = vnics.get(link);
        if (v == null) {
            vifs.resetProperty(link, name);
            return;
        }
        try {
            v.properties().reset(name);
        } catch (LinkAdminException e) {
            throw new LinkAdminException(link + ": " + e.getMessage());
        }
    }

    // ---- FlowAdmin, CaptureAdmin: flows and snoop live in the vifs' lanes; passed on ----

    private FlowAdmin flowsOf(String link) {
        if (link != null && vnics.containsKey(link)) {
            throw new LinkAdminException(link + " is a VNIC made by create-vnic; flows and snoop are on guests' vifs "
                    + "only for now");
        }
        if (vifs instanceof FlowAdmin f) {
            return f;
        }
        throw new LinkAdminException("this backend has no flows");
    }

    @Override
    public synchronized FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties) {
        return flowsOf(link).addFlow(name, link, spec, properties);
    }

    @Override
    public synchronized void removeFlow(String name) {
        flowsOf(null).removeFlow(name);
    }

    @Override
    public synchronized List<String> removeFlows(String link) {
        return flowsOf(link).removeFlows(link);
    }

    @Override
    public synchronized List<FlowStatus> flows(String link) {
        return link != null && vnics.containsKey(link) ? List.of() : flowsOf(null).flows(link);
    }

    @Override
    public synchronized FlowStatus setFlowProperties(String name, String assignments) {
        return flowsOf(null).setFlowProperties(name, assignments);
    }

    @Override
    public synchronized FlowStatus resetFlowProperty(String name, String property) {
        return flowsOf(null).resetFlowProperty(name, property);
    }

    @Override
    public synchronized Tap capture(String link, org.xnb.netback.admin.FrameCapture capture) {
        if (vnics.containsKey(link)) {
            throw new LinkAdminException(link + " is a VNIC made by create-vnic; snoop is on guests' vifs only for now");
        }
        if (vifs instanceof CaptureAdmin c) {
            return c.capture(link, capture);
        }
        throw new LinkAdminException("this backend cannot snoop");
    }

    /** Removes every VNIC made by command (their TAP devices go); the links stay with their owner. */
    @Override
    public synchronized void close() {
        for (HostVnic v : vnics.values()) {
            try {
                v.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing vnic " + v.name() + ": " + e);
            }
        }
        vnics.clear();
    }
}
