package org.xnb.tools.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One request on the admin socket, one JSON object per line.
 *
 * <pre>
 * {"op":"show-vnic"}
 * {"op":"show-link","link":"vif1.0","statistics":true}      link optional
 * {"op":"show-linkprop","link":"vif1.0"}                    link optional
 * {"op":"set-linkprop","link":"vif1.0","properties":"maxbw=100M,priority=high","temporary":true}
 * {"op":"reset-linkprop","link":"vif1.0","properties":"maxbw"}
 * {"op":"add-flow","link":"vif1.0","attributes":"transport=tcp,local_port=80","properties":"maxbw=50M","name":"http"}
 * {"op":"remove-flow","name":"http"}   or   {"op":"remove-flow","link":"vif1.0"}
 * {"op":"show-flow","link":"vif1.0","name":"http","statistics":true}   link, name optional
 * {"op":"set-flowprop","name":"http","properties":"maxbw=10M"}
 * {"op":"reset-flowprop","name":"http","properties":"maxbw"}            properties optional (all)
 * {"op":"show-flowprop","name":"http"}                                  name optional
 * {"op":"snoop","link":"vif1.0","file":"/abs/x.pcap","count":5,"snaplen":2048}   answers ID
 * {"op":"snoop-status","name":"ID"}   {"op":"snoop-stop","name":"ID"}   answer WRITTEN DROPPED DONE
 * {"op":"create-etherstub","link":"stub0"}                   "persistent":true = -P
 * {"op":"create-vnic","link":"web0","over":"stub0","mac":null,"vid":0,"properties":"maxbw=100M"}
 * {"op":"delete-vnic","link":"web0","temporary":true}         also delete-etherstub, show-etherstub
 * </pre>
 *
 * {@code temporary} is dladm's {@code -t} (not written to the configuration file), {@code persistent}
 * its {@code -P} (written to the file only).
 */
public record AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics,
        @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) String attributes,
        @JsonInclude(JsonInclude.Include.NON_NULL) String file,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long count,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int snaplen,
        @JsonInclude(JsonInclude.Include.NON_NULL) String over, @JsonInclude(JsonInclude.Include.NON_NULL) String mac,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int vid,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean persistent) {
    public static final String ADD_FLOW = "add-flow";
    public static final String REMOVE_FLOW = "remove-flow";
    public static final String SHOW_FLOW = "show-flow";
    public static final String SET_FLOWPROP = "set-flowprop";
    public static final String RESET_FLOWPROP = "reset-flowprop";
    public static final String SHOW_FLOWPROP = "show-flowprop";
    public static final String SNOOP = "snoop";
    public static final String SNOOP_STATUS = "snoop-status";
    public static final String SNOOP_STOP = "snoop-stop";

    public static final String SHOW_VNIC = "show-vnic";
    public static final String SHOW_LINK = "show-link";
    public static final String SHOW_LINKPROP = "show-linkprop";
    public static final String SET_LINKPROP = "set-linkprop";
    public static final String RESET_LINKPROP = "reset-linkprop";
    public static final String CREATE_ETHERSTUB = "create-etherstub";
    public static final String DELETE_ETHERSTUB = "delete-etherstub";
    public static final String SHOW_ETHERSTUB = "show-etherstub";
    public static final String CREATE_VNIC = "create-vnic";
    public static final String DELETE_VNIC = "delete-vnic";

    /** A datalink request: create-/delete-etherstub, create-/delete-vnic, and -t/-P (the fields after snoop's). */
    public static AdminRequest datalink(String op, String link, String properties, boolean temporary, String over,
            String mac, int vid, boolean persistent) {
        return new AdminRequest(op, link, properties, temporary, false, null, null, null, 0, 0, over, mac, vid,
                persistent);
    }

    /** A link request (the fields before flows and snoop). */
    public AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics) {
        this(op, link, properties, temporary, statistics, null, null, null, 0, 0, null, null, 0, false);
    }

    /** A flow or snoop request (the fields before the datalink ones). */
    public AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics, String name,
            String attributes, String file, long count, int snaplen) {
        this(op, link, properties, temporary, statistics, name, attributes, file, count, snaplen, null, null, 0, false);
    }

    public static AdminRequest of(String op, String link) {
        return new AdminRequest(op, link, null, false, false);
    }

    /** A flow request: flow {@code name}, its attributes and properties as add-flow takes them. */
    public static AdminRequest flow(String op, String link, String name, String attributes, String properties,
            boolean statistics) {
        return new AdminRequest(op, link, properties, false, statistics, name, attributes, null, 0, 0);
    }

    /** A flow change, {@code temporary} as flowadm's {@code -t}: the daemon only, not its configuration file. */
    public static AdminRequest flowChange(String op, String link, String name, String attributes, String properties,
            boolean temporary) {
        return new AdminRequest(op, link, properties, temporary, false, name, attributes, null, 0, 0);
    }
}
