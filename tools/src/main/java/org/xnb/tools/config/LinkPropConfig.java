package org.xnb.tools.config;

import java.util.Objects;
import org.xnb.vnic.prop.LinkProperties;

/**
 * Persisted link properties of a link that is not made from the configuration: a guest's vif
 * ({@code set-linkprop -p maxbw=100M vif1.0}), applied whenever a vif of that name connects.
 */
public record LinkPropConfig(String name, LinkProperties properties) {
    public LinkPropConfig {
        ConfigNames.check(name, "link name");
        Objects.requireNonNull(properties, "properties");
    }
}
