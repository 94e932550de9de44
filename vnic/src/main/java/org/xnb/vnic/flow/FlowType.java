package org.xnb.vnic.flow;

/**
 * The six attribute combinations flowadm accepts (illumos flowadm(8), "The following six types of
 * combinations of attributes are supported"; the kernel's {@code flow_tab_info_list} in
 * {@code mac_flow.c} has one flow table type per combination). On one link all flows are of one
 * type.
 */
public enum FlowType {
    LOCAL_IP("local_ip"),
    REMOTE_IP("remote_ip"),
    TRANSPORT("transport"),
    TRANSPORT_LOCAL_PORT("transport+local_port"),
    TRANSPORT_REMOTE_PORT("transport+remote_port"),
    DSFIELD("dsfield");

    private final String text;

    FlowType(String text) {
        this.text = text;
    }

    /** The combination as written in messages: {@code transport+local_port}. */
    public String text() {
        return text;
    }

    /** The allowed combinations, for error messages. */
    public static String allowedText() {
        return "local_ip | remote_ip | transport | transport+local_port | transport+remote_port | dsfield";
    }
}
