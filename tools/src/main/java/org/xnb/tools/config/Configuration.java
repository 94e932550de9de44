package org.xnb.tools.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything xnb keeps across restarts, immutable. Link names (etherstubs and VNICs) are unique
 * together, flow names are unique, and a flow's link is one of the VNICs.
 */
public record Configuration(List<EtherstubConfig> etherstubs, List<VnicConfig> vnics, List<FlowConfig> flows) {
    public static final Configuration EMPTY = new Configuration(List.of(), List.of(), List.of());

    public Configuration {
        etherstubs = List.copyOf(etherstubs);
        vnics = List.copyOf(vnics);
        flows = List.copyOf(flows);
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
        Set<String> flowNames = new HashSet<>();
        for (FlowConfig f : flows) {
            if (!flowNames.add(f.name())) {
                throw new IllegalArgumentException("flow " + f.name() + " is defined twice");
            }
            if (!vnicNames.contains(f.link())) {
                throw new IllegalArgumentException("flow " + f.name() + " is on link " + f.link() + ", which is not a VNIC here");
            }
        }
    }

    public Configuration withEtherstub(EtherstubConfig e) {
        List<EtherstubConfig> l = new ArrayList<>(etherstubs);
        l.add(e);
        return new Configuration(l, vnics, flows);
    }

    /** Adds the VNIC or replaces the one with the same name (e.g. after set-linkprop). */
    public Configuration withVnic(VnicConfig v) {
        List<VnicConfig> l = new ArrayList<>(vnics);
        l.removeIf(x -> x.name().equals(v.name()));
        l.add(v);
        return new Configuration(etherstubs, l, flows);
    }

    /** Adds the flow or replaces the one with the same name. */
    public Configuration withFlow(FlowConfig f) {
        List<FlowConfig> l = new ArrayList<>(flows);
        l.removeIf(x -> x.name().equals(f.name()));
        l.add(f);
        return new Configuration(etherstubs, vnics, l);
    }

    /** Removes a link (etherstub or VNIC) and the flows on it. */
    public Configuration withoutLink(String name) {
        List<EtherstubConfig> e = new ArrayList<>(etherstubs);
        e.removeIf(x -> x.name().equals(name));
        List<VnicConfig> v = new ArrayList<>(vnics);
        v.removeIf(x -> x.name().equals(name));
        List<FlowConfig> f = new ArrayList<>(flows);
        f.removeIf(x -> x.link().equals(name));
        return new Configuration(e, v, f);
    }

    public Configuration withoutFlow(String name) {
        List<FlowConfig> f = new ArrayList<>(flows);
        f.removeIf(x -> x.name().equals(name));
        return new Configuration(etherstubs, vnics, f);
    }
}
