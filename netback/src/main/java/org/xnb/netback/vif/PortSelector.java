package org.xnb.netback.vif;

import org.xnb.netback.port.Port;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifId;

/**
 * Chooses the {@link Port} a connecting vif joins, from what the toolstack wrote (the daemon's
 * links choose by {@link VifConfig#bridge()}). Called on the xenbus thread, once per connect; a
 * {@link RuntimeException} refuses the connection like a bad ring ref would (error node, Closing).
 */
@FunctionalInterface
public interface PortSelector {

    Port portFor(VifId id, VifConfig config);

    /** The name of the link a vif with {@code config} joins, for the admin commands. */
    default String linkName(VifConfig config) {
        return config.bridge() == null || config.bridge().isEmpty() ? "--" : config.bridge();
    }

    /** Every vif joins {@code port}. */
    static PortSelector always(Port port) {
        return (id, config) -> port;
    }
}
