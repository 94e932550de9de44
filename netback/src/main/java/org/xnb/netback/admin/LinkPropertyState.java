package org.xnb.netback.admin;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.PropertyException;
import org.xnb.vnic.prop.PropertyList;

/**
 * A link's properties as set-linkprop and reset-linkprop leave them: the values in force and
 * which of them were set explicitly (show-linkprop's "--" for the rest; an explicit maxbw wins
 * over a vif's xenstore rate). Immutable: a refused change leaves the holder's state as it was.
 */
public record LinkPropertyState(LinkProperties values, Set<String> explicit) {
    public static final LinkPropertyState DEFAULTS = new LinkPropertyState(LinkProperties.defaults(), Set.of());

    public LinkPropertyState {
        explicit = Set.copyOf(explicit);
    }

    /** set-linkprop: {@code name=value[,name=value...]}, all or nothing. */
    public LinkPropertyState set(String assignments) {
        LinkProperties next;
        Set<String> names;
        try {
            names = PropertyList.split(assignments, new LinkedHashSet<>(LinkProperties.NAMES),
                    Set.of(LinkProperties.CPUS, LinkProperties.PROTECTION, LinkProperties.ALLOWED_IPS), "property")
                    .keySet();
            next = values.setAll(assignments);
        } catch (PropertyException e) {
            throw new LinkAdminException(e.getMessage());
        }
        Set<String> nextExplicit = new HashSet<>(explicit);
        nextExplicit.addAll(names);
        return new LinkPropertyState(next, nextExplicit);
    }

    /** reset-linkprop: the property back to its default. */
    public LinkPropertyState reset(String name) {
        LinkProperties next;
        try {
            next = values.reset(name);
        } catch (PropertyException e) {
            throw new LinkAdminException(e.getMessage());
        }
        Set<String> nextExplicit = new HashSet<>(explicit);
        nextExplicit.remove(name);
        return new LinkPropertyState(next, nextExplicit);
    }

    /** Whether {@code name} was set explicitly (and not reset since). */
    public boolean isSet(String name) {
        return explicit.contains(name);
    }
}
