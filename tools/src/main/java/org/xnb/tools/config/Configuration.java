package org.xnb.tools.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything xnb keeps across restarts, immutable. Link names (etherstubs and VNICs) are unique
 * together, flow names are unique, and a flow's link is one of the VNICs.
 */
public record Configuration(List<EtherstubConfig> etherstubs, List<VnicConfig> vnics, List<FlowConfig> flows,
        List<LinkPropConfig> linkprops) {
    public static final Configuration EMPTY = new Configuration(List.of(), List.of(), List.of());

    public Configuration(List<EtherstubConfig> etherstubs, List<VnicConfig> vnics, List<FlowConfig> flows) {
        this(etherstubs, vnics, flows, List.of());
    }

    public Configuration {
        etherstubs = List.copyOf(etherstubs);
        vnics = List.copyOf(vnics);
        flows = List.copyOf(flows);
        linkprops = List.copyOf(linkprops);
        Set<String> links = new HashSet<>();
        for (EtherstubConfig e : etherstubs) {
            if (!links.add(e.name())) {
                throw new IllegalArgumentException("link " + e.name() + " is defined twice");
            }
        }
        Set<String> vnicNames = new HashSet<>();
        for (VnicConfig v : vnics) {
            if (!links.add(v.name())) {
                throw new IllegalArgumentException("link " + v.name() + " is defined twice");
            }
            vnicNames.add(v.name());
        }
        for (LinkPropConfig p : linkprops) {
            if (!links.add(p.name())) {
                throw new IllegalArgumentException("link " + p.name() + " is defined twice");
            }
        }
        Set<String> flowNames = new HashSet<>();
        for (FlowConfig f : flows) {
            if (!flowNames.add(f.name())) {
                throw new IllegalArgumentException("flow " + f.name() + " is defined twice");
            }
            // on a VNIC of the file or on a guest's vif (named by a linkprop line or not at all)
            if (etherstubs.stream().anyMatch(e -> e.name().equals(f.link()))) {
                throw new IllegalArgumentException("flow " + f.name() + " is on link " + f.link()
                        + ", which is an etherstub, not a VNIC");
            }
        }
    }

    /** Sets the persisted properties of a link the file does not make (a vif), or removes them when null. */
    public Configuration withLinkProp(String name, org.xnb.vnic.prop.LinkProperties properties) {
        List<LinkPropConfig> l = new ArrayList<>(linkprops);
        l.removeIf(x -> x.name().equals(name));
        if (properties != null) {
            l.add(new LinkPropConfig(name, properties));
        }
        return new Configuration(etherstubs, vnics, flows, l);
    }

    /** The persisted VNIC {@code name}, or null. */
    public VnicConfig vnic(String name) {
        return vnics.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    /** Whether etherstub {@code name} is persisted. */
    public boolean hasEtherstub(String name) {
        return etherstubs.stream().anyMatch(e -> e.name().equals(name));
    }

    /** The persisted properties of vif-like link {@code name}, or null. */
    public LinkPropConfig linkprop(String name) {
        return linkprops.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    public Configuration withEtherstub(EtherstubConfig e) {
        List<EtherstubConfig> l = new ArrayList<>(etherstubs);
        l.add(e);
        return new Configuration(l, vnics, flows, linkprops);
    }

    /** Adds the VNIC or replaces the one with the same name (e.g. after set-linkprop). */
    public Configuration withVnic(VnicConfig v) {
        List<VnicConfig> l = new ArrayList<>(vnics);
        l.removeIf(x -> x.name().equals(v.name()));
        l.add(v);
        return new Configuration(etherstubs, l, flows, linkprops);
    }

    /** Adds the flow or replaces the one with the same name. */
    public Configuration withFlow(FlowConfig f) {
        List<FlowConfig> l = new ArrayList<>(flows);
        l.removeIf(x -> x.name().equals(f.name()));
        l.add(f);
        return new Configuration(etherstubs, vnics, l, linkprops);
    }

    /** Removes a link (etherstub or VNIC) and the flows on it. */
    public Configuration withoutLink(String name) {
        List<EtherstubConfig> e = new ArrayList<>(etherstubs);
        e.removeIf(x -> x.name().equals(name));
        List<VnicConfig> v = new ArrayList<>(vnics);
        v.removeIf(x -> x.name().equals(name));
        List<FlowConfig> f = new ArrayList<>(flows);
        f.removeIf(x -> x.link().equals(name));
        List<LinkPropConfig> p = new ArrayList<>(linkprops);
        p.removeIf(x -> x.name().equals(name));
        return new Configuration(e, v, f, p);
    }

    public Configuration withoutFlow(String name) {
        List<FlowConfig> f = new ArrayList<>(flows);
        f.removeIf(x -> x.name().equals(name));
        return new Configuration(etherstubs, vnics, f, linkprops);
    }
}
