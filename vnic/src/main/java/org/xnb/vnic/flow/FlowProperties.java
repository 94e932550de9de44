package org.xnb.vnic.flow;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.xnb.vnic.prop.Bandwidth;
import org.xnb.vnic.prop.Priority;
import org.xnb.vnic.prop.PropertyException;
import org.xnb.vnic.prop.PropertyList;

/** A flow's properties ({@code -p maxbw=..,priority=..}), immutable; parsed like link properties. */
public final class FlowProperties {
    public static final List<String> NAMES = List.of("maxbw", "priority");
    public static final FlowProperties DEFAULTS = new FlowProperties(0, Priority.MEDIUM);

    private final long maxbw;
    private final Priority priority;

    private FlowProperties(long maxbw, Priority priority) {
        this.maxbw = maxbw;
        this.priority = priority;
    }

    /** Applies {@code name=value[,...]} to these properties; all or nothing. */
    public FlowProperties setAll(String list) {
        FlowProperties p = this;
        for (Map.Entry<String, String> e : PropertyList.split(list, new LinkedHashSet<>(NAMES), Set.of(), "property").entrySet()) {
            p = p.set(e.getKey(), e.getValue());
        }
        return p;
    }

    public FlowProperties set(String name, String value) {
        switch (name) {
            case "maxbw":
                return new FlowProperties(Bandwidth.parse(value), priority);
            case "priority":
                return new FlowProperties(maxbw, Priority.parse(value));
            default:
                throw new PropertyException("unknown property '" + name + "'; allowed: maxbw, priority");
        }
    }

    public FlowProperties reset(String name) {
        switch (name) {
            case "maxbw":
                return new FlowProperties(0, priority);
            case "priority":
                return new FlowProperties(maxbw, Priority.MEDIUM);
            default:
                throw new PropertyException("unknown property '" + name + "'; allowed: maxbw, priority");
        }
    }

    /** The limit in bits per second, or empty for none. */
    public OptionalLong maxbw() {
        return maxbw == 0 ? OptionalLong.empty() : OptionalLong.of(maxbw);
    }

    public Priority priority() {
        return priority;
    }

    /** As show-flowprop prints it. */
    public String get(String name) {
        switch (name) {
            case "maxbw":
                return maxbw == 0 ? "--" : Bandwidth.formatMbps(maxbw);
            case "priority":
                return priority.token();
            default:
                throw new PropertyException("unknown property '" + name + "'; allowed: maxbw, priority");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowProperties p && p.maxbw == maxbw && p.priority == priority;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxbw) * 31 + priority.hashCode();
    }

    @Override
    public String toString() {
        return "maxbw=" + get("maxbw") + ",priority=" + get("priority");
    }
}
