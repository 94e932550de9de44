package org.xnb.netback.vif;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.flow.LinkFlows;
import org.xnb.vnic.flow.Flow;
import org.xnb.vnic.flow.FlowCounters;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.prop.PropertyException;

/**
 * {@link FlowAdmin} over the connected vifs of a {@link VifBackend}: each vif's {@link LinkFlows}.
 * One lock for every change, so a flow name stays unique across links.
 */
final class VifFlowAdmin implements FlowAdmin {
    private final VifBackend vifs;

    VifFlowAdmin(VifBackend vifs) {
        this.vifs = vifs;
    }

    private List<Vif> sorted() {
        List<Vif> list = new ArrayList<>(vifs.vifs().values());
        list.sort(Comparator.comparing(Vif::id));
        return list;
    }

    private Vif vif(String link) {
        for (Vif v : sorted()) {
            if (v.toString().equals(link)) {
                return v;
            }
        }
        List<String> names = sorted().stream().map(Vif::toString).toList();
        throw new LinkAdminException("no link '" + link + "'; the connected vifs are: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    /** The vif holding flow {@code name}, or null. */
    private Vif holder(String name) {
        for (Vif v : sorted()) {
            if (v.flows().find(name).isPresent()) {
                return v;
            }
        }
        return null;
    }

    private Vif holderOrFail(String name) {
        Vif v = holder(name);
        if (v == null) {
            List<String> all = flows(null).stream().map(FlowStatus::name).toList();
            throw new LinkAdminException("no flow '" + name + "'; the flows are: "
                    + (all.isEmpty() ? "none" : String.join(", ", all)));
        }
        return v;
    }

    @Override
    public synchronized FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties) {
        Vif v = vif(link);
        Vif other = holder(name);
        if (other != null) {
            throw new LinkAdminException("flow " + name + " already exists on link " + other
                    + "; flow names are unique across links");
        }
        try {
            return status(v, v.flows().add(name, spec, properties));
        } catch (IllegalArgumentException e) { // FlowException, PropertyException
            throw new LinkAdminException(e.getMessage());
        }
    }

    @Override
    public synchronized void removeFlow(String name) {
        holderOrFail(name).flows().remove(name);
    }

    @Override
    public synchronized List<String> removeFlows(String link) {
        LinkFlows flows = vif(link).flows();
        List<String> names = new ArrayList<>();
        for (Flow f : flows.flows()) {
            flows.remove(f.name());
            names.add(f.name());
        }
        return names;
    }

    @Override
    public List<FlowStatus> flows(String link) {
        List<FlowStatus> out = new ArrayList<>();
        for (Vif v : link == null ? sorted() : List.of(vif(link))) {
            for (Flow f : v.flows().flows()) {
                out.add(status(v, f));
            }
        }
        return out;
    }

    @Override
    public synchronized FlowStatus setFlowProperties(String name, String assignments) {
        Vif v = holderOrFail(name);
        Flow f = v.flows().find(name).orElseThrow();
        try {
            v.flows().properties(f, f.properties().setAll(assignments));
        } catch (PropertyException e) {
            throw new LinkAdminException(e.getMessage());
        }
        return status(v, f);
    }

    @Override
    public synchronized FlowStatus resetFlowProperty(String name, String property) {
        Vif v = holderOrFail(name);
        Flow f = v.flows().find(name).orElseThrow();
        try {
            FlowProperties p = f.properties();
            for (String prop : property == null ? FlowProperties.NAMES : List.of(property.split(",", -1))) {
                p = p.reset(prop);
            }
            v.flows().properties(f, p);
        } catch (PropertyException e) {
            throw new LinkAdminException(e.getMessage());
        }
        return status(v, f);
    }

    private static FlowStatus status(Vif v, Flow f) {
        FlowCounters c = f.counters();
        return new FlowStatus(f.name(), v.toString(), f.spec(), f.properties(), c.ipkts(), c.rbytes(), c.opkts(),
                c.obytes(), c.drops());
    }
}
