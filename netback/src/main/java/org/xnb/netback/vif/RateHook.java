package org.xnb.netback.vif;

import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifId;

/**
 * Told when the toolstack changes a connected vif's {@code rate} node, after the vif handed the
 * new rate to its Tx credit ({@link Vif#rateChanged}); for observers (tests, logging).
 */
@FunctionalInterface
public interface RateHook {

    void rateChanged(VifId id, RateLimit rate);

    RateHook NONE = (id, rate) -> {
    };
}
