package org.xnb.netback.vif;

import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifId;

/**
 * Told when the toolstack changes a connected vif's {@code rate} node. The Tx credit scheduler
 * (another issue) plugs in here; until then the vif only records the value ({@link Vif#rate()}).
 */
@FunctionalInterface
public interface RateHook {

    void rateChanged(VifId id, RateLimit rate);

    RateHook NONE = (id, rate) -> {
    };
}
