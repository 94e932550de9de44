package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.vnic.flow.Flow;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/** {@link FakeLinkAdmin}'s two vifs with real {@link LinkFlows} (no lane: counters stay 0). */
final class FakeFlowBackend implements LinkAdmin, FlowAdmin {
    private final FakeLinkAdmin links = new FakeLinkAdmin();
    private final Map<String, LinkFlows> flows = new LinkedHashMap<>();

    FakeFlowBackend() {
        flows.put("vif1.0", new LinkFlows("vif1.0"));
        flows.put("vif12.0", new LinkFlows("vif12.0"));
    }

    @Override
    public List<VnicStatus> vnics() {
        return links.vnics();
    }

    @Override
    public List<LinkStatistics> statistics(String link) {
        return links.statistics(link);
    }

    @Override
    public List<LinkPropertyStatus> properties(String link) {
        return links.properties(link);
    }

    @Override
    public void setProperties(String link, String assignments, boolean temporary) {
        links.setProperties(link, assignments, temporary);
    }

    @Override
    public void resetProperty(String link, String name) {
        links.resetProperty(link, name);
    }

    private LinkFlows link(String link) {
        LinkFlows f = flows.get(link);
        if (f == null) {
            throw new LinkAdminException("no link '" + link + "'; the connected vifs are: vif1.0, vif12.0");
        }
        return f;
    }

    private LinkFlows holder(String name) {
        for (LinkFlows f : flows.values()) {
            if (f.find(name).isPresent()) {
                return f;
            }
        }
        throw new LinkAdminException("no flow '" + name + "'");
    }

    private static FlowStatus status(LinkFlows l, Flow f) {
        return new FlowStatus(f.name(), l.link(), f.spec(), f.properties(), 0, 0, 0, 0, 0);
    }

    @Override
    public FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties) {
        LinkFlows l = link(link);
        try {
            return status(l, l.add(name, spec, properties));
        } catch (IllegalArgumentException e) {
            throw new LinkAdminException(e.getMessage());
        }
    }

    @Override
    public void removeFlow(String name) {
        holder(name).remove(name);
    }

    @Override
    public List<String> removeFlows(String link) {
        List<String> names = new ArrayList<>();
        for (Flow f : link(link).flows()) {
            link(link).remove(f.name());
            names.add(f.name());
        }
        return names;
    }

    @Override
    public List<FlowStatus> flows(String link) {
        List<FlowStatus> out = new ArrayList<>();
        for (LinkFlows l : link == null ? flows.values() : List.of(link(link))) {
            for (Flow f : l.flows()) {
                out.add(status(l, f));
            }
        }
        return out;
    }

    @Override
    public FlowStatus setFlowProperties(String name, String assignments) {
        LinkFlows l = holder(name);
        Flow f = l.find(name).orElseThrow();
        l.properties(f, f.properties().setAll(assignments));
        return status(l, f);
    }

    @Override
    public FlowStatus resetFlowProperty(String name, String property) {
        LinkFlows l = holder(name);
        Flow f = l.find(name).orElseThrow();
        l.properties(f, property == null ? FlowProperties.DEFAULTS : f.properties().reset(property));
        return status(l, f);
    }
}
