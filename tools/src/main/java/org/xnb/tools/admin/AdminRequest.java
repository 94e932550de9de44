package org.xnb.tools.admin;

/**
 * One request on the admin socket, one JSON object per line.
 *
 * <pre>
 * {"op":"show-vnic"}
 * {"op":"show-link","link":"vif1.0","statistics":true}      link optional
 * {"op":"show-linkprop","link":"vif1.0"}                    link optional
 * {"op":"set-linkprop","link":"vif1.0","properties":"maxbw=100M,priority=high","temporary":true}
 * {"op":"reset-linkprop","link":"vif1.0","properties":"maxbw"}
 * </pre>
 */
public record AdminRequest(String op, String link, String properties, boolean temporary, boolean statistics) {
    public static final String SHOW_VNIC = "show-vnic";
    public static final String SHOW_LINK = "show-link";
    public static final String SHOW_LINKPROP = "show-linkprop";
    public static final String SET_LINKPROP = "set-linkprop";
    public static final String RESET_LINKPROP = "reset-linkprop";

    public static AdminRequest of(String op, String link) {
        return new AdminRequest(op, link, null, false, false);
    }
}
