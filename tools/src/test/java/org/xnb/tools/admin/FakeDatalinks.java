package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xnb.netback.admin.EtherstubStatus;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicAdmin;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.vnic.prop.LinkProperties;

/** A daemon's datalinks in memory: etherstubs, VNICs with their properties, and one vif vif1.0 over xenbr0. */
final class FakeDatalinks implements LinkAdmin, VnicAdmin, org.xnb.netback.admin.FlowAdmin {
    /** Flows of the live vif vif1.0, by name. */
    final Map<String, org.xnb.netback.admin.FlowStatus> flows = new java.util.LinkedHashMap<>();
    /** Whether vif1.0 is connected (flows can be added to it). */
    boolean vifConnected = true;

    private org.xnb.netback.admin.FlowStatus flow(String name) {
        org.xnb.netback.admin.FlowStatus f = flows.get(name);
        if (f == null) {
            throw new LinkAdminException("no flow '" + name + "'");
        }
        return f;
    }

    @Override
    public org.xnb.netback.admin.FlowStatus addFlow(String name, String link,
            org.xnb.vnic.flow.FlowSpec spec, org.xnb.vnic.flow.FlowProperties properties) {
        if (!link.equals("vif1.0") || !vifConnected) {
            throw new LinkAdminException("no link '" + link + "'");
        }
        org.xnb.netback.admin.FlowStatus f = new org.xnb.netback.admin.FlowStatus(name, link, spec, properties, 0, 0, 0,
                0, 0);
        flows.put(name, f);
        return f;
    }

    @Override
    public void removeFlow(String name) {
        flow(name);
        flows.remove(name);
    }

    @Override
    public List<String> removeFlows(String link) {
        List<String> names = new ArrayList<>(flows.keySet());
        flows.clear();
        return names;
    }

    @Override
    public List<org.xnb.netback.admin.FlowStatus> flows(String link) {
        return new ArrayList<>(flows.values());
    }

    @Override
    public org.xnb.netback.admin.FlowStatus setFlowProperties(String name, String assignments) {
        org.xnb.netback.admin.FlowStatus f = flow(name);
        org.xnb.netback.admin.FlowStatus g = new org.xnb.netback.admin.FlowStatus(name, f.link(), f.spec(),
                f.properties().setAll(assignments), 0, 0, 0, 0, 0);
        flows.put(name, g);
        return g;
    }

    @Override
    public org.xnb.netback.admin.FlowStatus resetFlowProperty(String name, String property) {
        org.xnb.netback.admin.FlowStatus f = flow(name);
        org.xnb.netback.admin.FlowStatus g = new org.xnb.netback.admin.FlowStatus(name, f.link(), f.spec(),
                property == null ? org.xnb.vnic.flow.FlowProperties.DEFAULTS : f.properties().reset(property), 0, 0, 0,
                0, 0);
        flows.put(name, g);
        return g;
    }

    record Vnic(String over, String mac, LinkProperties props, int vid) {
        Vnic(String over, String mac, LinkProperties props) {
            this(over, mac, props, 0);
        }
    }

    final TreeSet<String> stubs = new TreeSet<>();
    final Map<String, Vnic> vnics = new TreeMap<>();
    LinkProperties vif = LinkProperties.defaults(4);
    private int nextMac = 0x10;

    @Override
    public void createEtherstub(String name) {
        if (!stubs.add(name)) {
            throw new LinkAdminException("link '" + name + "' already exists");
        }
    }

    @Override
    public void deleteEtherstub(String name) {
        if (!stubs.contains(name)) {
            throw new LinkAdminException("no etherstub '" + name + "'");
        }
        if (vnics.values().stream().anyMatch(v -> v.over().equals(name))) {
            throw new LinkAdminException("etherstub '" + name + "' is in use");
        }
        stubs.remove(name);
    }

    @Override
    public List<EtherstubStatus> etherstubs() {
        List<EtherstubStatus> out = new ArrayList<>();
        for (String s : stubs) {
            out.add(new EtherstubStatus(s, vnics.entrySet().stream().filter(e -> e.getValue().over().equals(s))
                    .map(Map.Entry::getKey).toList()));
        }
        return out;
    }

    @Override
    public VnicStatus createVnic(String name, String over, String mac, int vid, String properties) {
        if (vnics.containsKey(name)) {
            throw new LinkAdminException("link '" + name + "' already exists");
        }
        if (!stubs.contains(over) && !over.equals("xenbr0")) {
            throw new LinkAdminException("no link '" + over + "' to create the VNIC over");
        }
        String m = mac != null ? mac : String.format("00:16:3e:00:00:%02x", nextMac++);
        LinkProperties p = LinkProperties.defaults(4);
        if (properties != null && !properties.isEmpty()) {
            p = p.setAll(properties);
        }
        vnics.put(name, new Vnic(over, m, p, vid));
        return new VnicStatus(name, 0, -1, over, m, "up", null);
    }

    @Override
    public int vid(String name) {
        Vnic v = vnics.get(name);
        return v == null ? 0 : v.vid();
    }

    @Override
    public void deleteVnic(String name) {
        if (vnics.remove(name) == null) {
            throw new LinkAdminException("no VNIC '" + name + "'");
        }
    }

    @Override
    public List<VnicStatus> vnics() {
        List<VnicStatus> out = new ArrayList<>();
        out.add(new VnicStatus("vif1.0", 1, 0, "xenbr0", "00:16:3e:00:00:01", "up", "g1"));
        vnics.forEach((k, v) -> out.add(new VnicStatus(k, 0, -1, v.over(), v.mac(), "up", null)));
        return out;
    }

    private LinkProperties props(String link) {
        if (link.equals("vif1.0")) {
            return vif;
        }
        Vnic v = vnics.get(link);
        if (v == null) {
            throw new LinkAdminException("no link '" + link + "'");
        }
        return v.props();
    }

    private void put(String link, LinkProperties p) {
        if (link.equals("vif1.0")) {
            vif = p;
        } else {
            Vnic v = vnics.get(link);
            vnics.put(link, new Vnic(v.over(), v.mac(), p, v.vid()));
        }
    }

    @Override
    public List<LinkStatistics> statistics(String link) {
        props(link == null ? "vif1.0" : link);
        return List.of(new LinkStatistics(link == null ? "vif1.0" : link, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Override
    public List<LinkPropertyStatus> properties(String link) {
        List<LinkPropertyStatus> out = new ArrayList<>();
        for (String l : link == null ? List.of("vif1.0") : List.of(link)) {
            LinkProperties p = props(l);
            for (String n : List.of(LinkProperties.MAXBW, LinkProperties.PRIORITY)) {
                out.add(new LinkPropertyStatus(l, n, "rw", p.get(n), p.get(n), "--", "--"));
            }
        }
        return out;
    }

    @Override
    public void setProperties(String link, String assignments, boolean temporary) {
        put(link, props(link).setAll(assignments));
    }

    @Override
    public void resetProperty(String link, String name) {
        put(link, props(link).reset(name));
    }
}
