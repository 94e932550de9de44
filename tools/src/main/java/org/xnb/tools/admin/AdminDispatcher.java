package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnb.netback.admin.EtherstubStatus;
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
    public static final List<String> VNIC_FIELDS = List.of("LINK", "OVER", "MACADDRESS", "STATE", "GUEST", "DOMID",
            "MAXBW", "VID");
    public static final List<String> ETHERSTUB_FIELDS = List.of("LINK", "VNICS");
    public static final List<String> LINK_FIELDS = List.of("LINK", "CLASS", "STATE", "OVER");
    public static final List<String> LINK_STAT_FIELDS = List.of("LINK", "IPKTS", "RBYTES", "OPKTS", "OBYTES", "SDROPS",
            "MACSPOOFED", "IPSPOOFED", "DHCPSPOOFED", "RESTRICTED", "MALFORMED", "MTUDROPS");
    public static final List<String> LINKPROP_FIELDS = List.of("LINK", "PROPERTY", "PERM", "VALUE", "EFFECTIVE",
            "DEFAULT", "POSSIBLE");

    private final LinkAdmin admin;
    /** create-/delete-, set-/reset-linkprop with -t/-P; null: a daemon without them. */
    private final PersistentAdmin persistent;
    /** flowadm's requests when the backend has flows ({@code FlowAdmin}), else null. */
    private final FlowRequests flows;
    /** snoop's requests when the backend can tap a lane ({@code CaptureAdmin}), else null. */
    private final SnoopRequests snoops;

    public AdminDispatcher(LinkAdmin admin) {
        this(admin, null);
    }

    public AdminDispatcher(LinkAdmin admin, PersistentAdmin persistent) {
        this.admin = admin;
        this.persistent = persistent;
        FlowAdmin live = admin instanceof FlowAdmin f ? f : null;
        this.flows = persistent != null && persistent.flowAdmin() != null
                ? new FlowRequests(persistent.flowAdmin(), live != null ? live : persistent.flowAdmin())
                : live != null ? new FlowRequests(live) : null;
        this.snoops = admin instanceof CaptureAdmin c ? new SnoopRequests(c) : null;
    }

    public AdminResponse handle(AdminRequest r) {
        try {
            if (r.op() == null) {
                return AdminResponse.error("request without \"op\"; allowed: " + ops());
            }
            switch (r.op()) {
                case AdminRequest.SHOW_VNIC:
                    if (r.persistent()) {
                        return AdminResponse.rows(persisted(r).persistedVnics().stream()
                                .filter(v -> r.link() == null || r.link().equals(v.get("LINK"))).toList());
                    }
                    return AdminResponse.rows(vnics(r.link()));
                case AdminRequest.SHOW_LINK:
                    return AdminResponse.rows(r.statistics() ? statistics(r.link()) : links(r.link()));
                case AdminRequest.SHOW_LINKPROP:
                    if (r.persistent()) {
                        return AdminResponse.rows(rows(persisted(r).persistedProperties(r.link())));
                    }
                    return AdminResponse.rows(properties(r.link()));
                case AdminRequest.SET_LINKPROP:
                    if (persistent != null) {
                        PersistentAdmin.Scope scope = PersistentAdmin.Scope.of(r.temporary(), r.persistent());
                        persistent.setProperties(required(r.link(), "link"), required(r.properties(), "properties"),
                                scope);
                        return AdminResponse.rows(scope == PersistentAdmin.Scope.PERSISTENT ? List.of()
                                : properties(r.link()));
                    }
                    admin.setProperties(required(r.link(), "link"), required(r.properties(), "properties"),
                            r.temporary());
                    return AdminResponse.rows(properties(r.link()));
                case AdminRequest.RESET_LINKPROP:
                    String link = required(r.link(), "link");
                    if (persistent != null) {
                        PersistentAdmin.Scope scope = PersistentAdmin.Scope.of(r.temporary(), r.persistent());
                        for (String name : required(r.properties(), "properties").split(",", -1)) {
                            persistent.resetProperty(link, name, scope);
                        }
                        return AdminResponse.rows(scope == PersistentAdmin.Scope.PERSISTENT ? List.of()
                                : properties(link));
                    }
                    for (String name : required(r.properties(), "properties").split(",", -1)) {
                        admin.resetProperty(link, name);
                    }
                    return AdminResponse.rows(properties(link));
                case AdminRequest.CREATE_ETHERSTUB, AdminRequest.DELETE_ETHERSTUB, AdminRequest.SHOW_ETHERSTUB,
                        AdminRequest.CREATE_VNIC, AdminRequest.DELETE_VNIC:
                    return datalinks(r);
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
                AdminRequest.SHOW_FLOWPROP, AdminRequest.SNOOP, AdminRequest.SNOOP_STATUS, AdminRequest.SNOOP_STOP,
                AdminRequest.CREATE_ETHERSTUB, AdminRequest.DELETE_ETHERSTUB, AdminRequest.SHOW_ETHERSTUB,
                AdminRequest.CREATE_VNIC, AdminRequest.DELETE_VNIC);
    }

    /** Etherstubs and VNICs by command (answered only by a daemon with a {@link PersistentAdmin}). */
    private AdminResponse datalinks(AdminRequest r) {
        if (persistent == null) {
            return AdminResponse.error(r.op() + " is not served by this daemon");
        }
        if (r.op().equals(AdminRequest.SHOW_ETHERSTUB)) {
            return AdminResponse.rows(etherstubs(r.link()));
        }
        String name = required(r.link(), "link");
        PersistentAdmin.Scope scope = PersistentAdmin.Scope.of(r.temporary(), r.persistent());
        switch (r.op()) {
            case AdminRequest.CREATE_ETHERSTUB -> persistent.createEtherstub(name, scope);
            case AdminRequest.DELETE_ETHERSTUB -> persistent.deleteEtherstub(name, scope);
            case AdminRequest.DELETE_VNIC -> persistent.deleteVnic(name, scope);
            default -> {
                VnicStatus v = persistent.createVnic(name, r.over(), r.mac(), r.vid(), r.properties(), scope);
                return AdminResponse.rows(List.of(row(VNIC_FIELDS, v.name(), v.over(), v.mac(), v.state(), "--",
                        Integer.toString(v.domid()), maxbw(v.name()), Integer.toString(r.vid()))));
            }
        }
        return AdminResponse.rows(List.of());
    }

    private List<Map<String, String>> etherstubs(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (EtherstubStatus e : persistent.etherstubs()) {
            if (link == null || link.equals(e.name())) {
                rows.add(row(ETHERSTUB_FIELDS, e.name(), e.vnics().isEmpty() ? "--" : String.join(",", e.vnics())));
            }
        }
        if (link != null && rows.isEmpty()) {
            throw new IllegalArgumentException("no etherstub '" + link + "'; the etherstubs are: "
                    + (persistent.etherstubs().isEmpty() ? "none"
                            : String.join(", ", persistent.etherstubs().stream().map(EtherstubStatus::name).toList())));
        }
        return rows;
    }

    /** show-vnic's MAXBW: the maxbw in force (show-linkprop's EFFECTIVE), {@code --} for none. */
    private String maxbw(String link) {
        try {
            for (LinkPropertyStatus p : admin.properties(link)) {
                if (p.property().equals("maxbw")) {
                    return p.effective();
                }
            }
        } catch (RuntimeException e) {
            // the vif went meanwhile
        }
        return "--";
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
                    Integer.toString(v.domid()), maxbw(v.name()),
                    Integer.toString(persistent == null ? 0 : persistent.vid(v.name()))));
        }
        if (link != null && !found) {
            admin.statistics(link); // throws the "no link" error with the list of vifs
        }
        return rows;
    }

    private List<Map<String, String>> links(String link) {
        List<Map<String, String>> rows = new ArrayList<>();
        boolean stub = persistent != null && link != null
                && persistent.etherstubs().stream().anyMatch(e -> e.name().equals(link));
        if (!stub) {
            for (Map<String, String> v : vnics(link)) {
                rows.add(row(LINK_FIELDS, v.get("LINK"), "vnic", v.get("STATE"), v.get("OVER")));
            }
        }
        if (persistent != null) {
            for (EtherstubStatus e : persistent.etherstubs()) {
                if (link == null || link.equals(e.name())) {
                    rows.add(row(LINK_FIELDS, e.name(), "etherstub", "unknown", "--"));
                }
            }
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

    private PersistentAdmin persisted(AdminRequest r) {
        if (persistent == null) {
            throw new IllegalArgumentException(r.op() + " -P: this daemon keeps no configuration file");
        }
        return persistent;
    }

    private List<Map<String, String>> properties(String link) {
        return rows(admin.properties(link));
    }

    private static List<Map<String, String>> rows(List<LinkPropertyStatus> properties) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (LinkPropertyStatus p : properties) {
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
