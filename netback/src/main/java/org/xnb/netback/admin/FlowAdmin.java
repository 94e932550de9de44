package org.xnb.netback.admin;

import java.util.List;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/**
 * flowadm against a running backend: flows on live VNICs (vifs), classified and policed in each
 * vif's lane. Flow names are unique across links, as flowadm's. A flow lasts as long as its vif's
 * connection; whoever persists flows re-applies them with {@link #addFlow} (the fields of a
 * persisted flow: name, link, attributes, properties) and reads them back with {@link #flows}.
 *
 * <p>Errors ({@link LinkAdminException}) say what was wrong and what is allowed.
 */
public interface FlowAdmin {

    /** add-flow: a new flow on {@code link}, in force from the lane's next frame. */
    FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties);

    /** remove-flow NAME. */
    void removeFlow(String name);

    /** remove-flow -l LINK: every flow of the link; their names. */
    List<String> removeFlows(String link);

    /** The flows of {@code link} (null = every link), each link's in the order they were added. */
    List<FlowStatus> flows(String link);

    /** set-flowprop: {@code maxbw=..,priority=..}, all or nothing. */
    FlowStatus setFlowProperties(String name, String assignments);

    /** reset-flowprop: {@code property} (null = all) back to its default. */
    FlowStatus resetFlowProperty(String name, String property);
}
