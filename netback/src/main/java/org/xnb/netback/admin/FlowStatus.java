package org.xnb.netback.admin;

import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/**
 * One flow as show-flow, show-flowprop and flowstat print it: its attributes, properties and
 * counters (ipkts/rbytes toward the guest, opkts/obytes from it, drops over its maxbw).
 */
public record FlowStatus(String name, String link, FlowSpec spec, FlowProperties properties, long ipkts, long rbytes,
        long opkts, long obytes, long drops) {
}
