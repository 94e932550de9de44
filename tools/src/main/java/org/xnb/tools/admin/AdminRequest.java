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
 * {"op":"create-etherstub","link":"stub0"}                   "persistent":true = -P
 * {"op":"create-vnic","link":"web0","over":"stub0","mac":null,"vid":0,"properties":"maxbw=100M"}
 * {"op":"delete-vnic","link":"web0","temporary":true}         also delete-etherstub, show-etherstub
 * </pre>
 *
 * {@code temporary} is dladm's {@code -t} (not written to the configuration file), {@code persistent}
 * its {@code -P} (written to the file only).
 */
public record AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics,
        @JsonInclude(JsonInclude.Include.NON_NULL) String over, @JsonInclude(JsonInclude.Include.NON_NULL) String mac,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int vid,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean persistent) {
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

    public AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics) {
        this(op, link, properties, temporary, statistics, null, null, 0, false);
    }

    public static AdminRequest of(String op, String link) {
        return new AdminRequest(op, link, null, false, false);
    }
}
