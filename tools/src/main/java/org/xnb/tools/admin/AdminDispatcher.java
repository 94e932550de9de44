package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.netback.admin.CaptureAdmin;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;

/**
 * Answers admin requests from a {@link LinkAdmin} (the daemon's {@code NetbackService}): each
 * request one call, each answer rows keyed by the column names the commands print. Refusals
 * become {@link AdminResponse#error} lines; nothing here throws.
 */
public final class AdminDispatcher {
    public static final List<String> VNIC_FIELDS = List.of("LINK", "OVER", "MACADDRESS", "STATE", "GUEST", "DOMID");
    public static final List<String> LINK_FIELDS = List.of("LINK", "CLASS", "STATE", "OVER");
    public static final List<String> LINK_STAT_FIELDS = List.of("LINK", "IPKTS", "RBYTES", "OPKTS", "OBYTES", "SDROPS",
            "MACSPOOFED", "IPSPOOFED", "DHCPSPOOFED", "RESTRICTED", "MALFORMED", "MTUDROPS");
    public static final List<String> LINKPROP_FIELDS = List.of("LINK", "PROPERTY", "PERM", "VALUE", "EFFECTIVE",
            "DEFAULT", "POSSIBLE");

    private final LinkAdmin admin;
    /** flowadm's requests when the backend has flows ({@code FlowAdmin}), else null. */
    private final FlowRequests flows;
    /** snoop's requests when the backend can tap a lane ({@code CaptureAdmin}), else null. */
    private final SnoopRequests snoops;

    public AdminDispatcher(LinkAdmin admin) {
        this.admin = admin;
        this.flows = admin instanceof FlowAdmin f ? new FlowRequests(f) : null;
        this.snoops = admin instanceof CaptureAdmin c ? new SnoopRequests(c) : null;
    }

    public AdminResponse handle(AdminRequest r) {
        try {
            if (r.op() == null) {
                return AdminResponse.error("request without \"op\"; allowed: " + ops());
            }
            switch (r.op()) {
                case AdminRequest.SHOW_VNIC:
                    return AdminResponse.rows(vnics(r.link()));
                case AdminRequest.SHOW_LINK:
                    return AdminResponse.rows(r.statistics() ? statistics(r.link()) : links(r.link()));
                case AdminRequest.SHOW_LINKPROP:
                    return AdminResponse.rows(properties(r.link()));
                case AdminRequest.SET_LINKPROP:
                    admin.setProperties(required(r.link(), "link"), required(r.properties(), "properties"),
                            r.temporary());
                    return AdminResponse.rows(properties(r.link()));
                case AdminRequest.RESET_LINKPROP:
                    String link = required(r.link(), "link");
                    for (String name : required(r.properties(), "properties").split(",", -1)) {
                        admin.resetProperty(link, name);
                    }
                    return AdminResponse.rows(properties(link));
                case AdminRequest.ADD_FLOW:
                case AdminRequest.REMOVE_FLOW:
                case AdminRequest.SHOW_FLOW:
                case AdminRequest.SET_FLOWPROP:
                case AdminRequest.RESET_FLOWPROP:
                case AdminRequest.SHOW_FLOWPROP:
                    if (flows == null) {
                        return AdminResponse.error("this backend has no flows");
                    }
                    return flows.handle(r);
                case AdminRequest.SNOOP:
                case AdminRequest.SNOOP_STATUS:
                case AdminRequest.SNOOP_STOP:
                    if (snoops == null) {
                        return AdminResponse.error("this backend cannot snoop");
                    }
                    return snoops.handle(r);
                default:
                    return AdminResponse.error("unknown op '" + r.op() + "'; allowed: " + ops());
            }
        } catch (LinkAdminException | IllegalArgumentException e) {
            return AdminResponse.error(e.getMessage());
        } catch (RuntimeException e) {
            return AdminResponse.error("the daemon failed: " + e);
        }
    }

    private static String ops() {
        return String.join(", ", AdminRequest.SHOW_VNIC, AdminRequest.SHOW_LINK, AdminRequest.SHOW_LINKPROP,
                AdminRequest.SET_LINKPROP, AdminRequest.RESET_LINKPROP, AdminRequest.ADD_FLOW, AdminRequest.REMOVE_FLOW,
                AdminRequest.SHOW_FLOW, AdminRequest.SET_FLOWPROP, AdminRequest.RESET_FLOWPROP,
                AdminRequest.SHOW_FLOWPROP, AdminRequest.SNOOP, AdminRequest.SNOOP_STATUS, AdminRequest.SNOOP_STOP);
    }

    static String required(String v, String what) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("request without \"" + what + "\"");
        }
        return v;
    }

    private List<Map<String, String>> vnics(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        boolean found = false;
        for (VnicStatus v : admin.vnics()) {
            if (link != null && !link.equals(v.name())) {
                continue;
            }
            found = true;
            rows.add(row(VNIC_FIELDS, v.name(), v.over(), v.mac(), v.state(), v.guest() == null ? "--" : v.guest(),
                    Integer.toString(v.domid())));
        }
        if (link != null && !found) {
            admin.statistics(link); // throws the "no link" error with the list of vifs
        }
        return rows;
    }

    private List<Map<String, String>> links(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> v : vnics(link)) {
            rows.add(row(LINK_FIELDS, v.get("LINK"), "vnic", v.get("STATE"), v.get("OVER")));
        }
        return rows;
    }

    private List<Map<String, String>> statistics(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (LinkStatistics s : admin.statistics(link)) {
            rows.add(row(LINK_STAT_FIELDS, s.link(), n(s.ipkts()), n(s.rbytes()), n(s.opkts()), n(s.obytes()),
                    n(s.sdrops()), n(s.macspoofed()), n(s.ipspoofed()), n(s.dhcpspoofed()), n(s.restricted()),
                    n(s.malformed()), n(s.mtudrops())));
        }
        return rows;
    }

    private List<Map<String, String>> properties(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (LinkPropertyStatus p : admin.properties(link)) {
            rows.add(row(LINKPROP_FIELDS, p.link(), p.property(), p.perm(), p.value(), p.effective(), p.defaultValue(),
                    p.possible()));
        }
        return rows;
    }

    private static String n(long v) {
        return Long.toString(v);
    }

    static Map<String, String> row(List<String> fields, String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(fields.get(i), values[i]);
        }
        return m;
    }
}
