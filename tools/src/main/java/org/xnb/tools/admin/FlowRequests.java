package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/**
 * flowadm's requests against a {@link FlowAdmin}: each answer rows keyed by the columns of
 * show-flow (illumos: FLOW LINK IPADDR PROTO LPORT RPORT DSFLD, plus MAXBW PRIORITY), show-flow -s
 * (flowstat's FLOW IPKTS RBYTES OPKTS OBYTES, plus LINK DROPS) and show-flowprop (FLOW PROPERTY
 * VALUE DEFAULT POSSIBLE). Refusals are thrown and become the dispatcher's error line.
 */
final class FlowRequests {
    static final List<String> FLOW_FIELDS = List.of("FLOW", "LINK", "IPADDR", "PROTO", "LPORT", "RPORT", "DSFLD",
            "MAXBW", "PRIORITY");
    static final List<String> FLOW_DEFAULT_FIELDS = FLOW_FIELDS.subList(0, 7);
    static final List<String> FLOW_STAT_FIELDS = List.of("FLOW", "LINK", "IPKTS", "RBYTES", "OPKTS", "OBYTES", "DROPS");
    static final List<String> FLOWPROP_FIELDS = List.of("FLOW", "PROPERTY", "VALUE", "DEFAULT", "POSSIBLE");

    private final FlowAdmin saving;
    private final FlowAdmin live;
    private FlowAdmin admin;

    FlowRequests(FlowAdmin admin) {
        this(admin, admin);
    }

    /** {@code saving} writes the configuration file too; {@code live} (flowadm's -t) only the daemon. */
    FlowRequests(FlowAdmin saving, FlowAdmin live) {
        this.saving = saving;
        this.live = live;
    }

    /** One request at a time: the admin server's single event-loop thread. */
    AdminResponse handle(AdminRequest r) {
        admin = r.temporary() ? live : saving;
        switch (r.op()) {
            case AdminRequest.ADD_FLOW: {
                FlowSpec spec = FlowSpec.parse(AdminDispatcher.required(r.attributes(), "attributes"));
                FlowProperties p = r.properties() == null || r.properties().isEmpty() ? FlowProperties.DEFAULTS
                        : FlowProperties.DEFAULTS.setAll(r.properties());
                FlowStatus f = admin.addFlow(AdminDispatcher.required(r.name(), "name"),
                        AdminDispatcher.required(r.link(), "link"), spec, p);
                return AdminResponse.rows(List.of(flowRow(f)));
            }
            case AdminRequest.REMOVE_FLOW: {
                if (r.name() != null && r.link() != null || r.name() == null && r.link() == null) {
                    throw new IllegalArgumentException("remove-flow takes a flow name or a link, one of them");
                }
                List<Map<String, String>> rows = new ArrayList<>();
                for (String n : r.name() != null ? removeOne(r.name()) : admin.removeFlows(r.link())) {
                    rows.add(AdminDispatcher.row(List.of("FLOW"), n));
                }
                return AdminResponse.rows(rows);
            }
            case AdminRequest.SHOW_FLOW:
                return AdminResponse.rows(show(r.link(), r.name(), r.statistics()));
            case AdminRequest.SET_FLOWPROP:
                admin.setFlowProperties(AdminDispatcher.required(r.name(), "name"),
                        AdminDispatcher.required(r.properties(), "properties"));
                return AdminResponse.rows(properties(r.link(), r.name()));
            case AdminRequest.RESET_FLOWPROP:
                admin.resetFlowProperty(AdminDispatcher.required(r.name(), "name"),
                        r.properties() == null || r.properties().isEmpty() ? null : r.properties());
                return AdminResponse.rows(properties(r.link(), r.name()));
            default: // SHOW_FLOWPROP
                return AdminResponse.rows(properties(r.link(), r.name()));
        }
    }

    private List<String> removeOne(String name) {
        admin.removeFlow(name);
        return List.of(name);
    }

    /** The flows of {@code link} (null: all), only {@code name} if given (an unknown one is refused). */
    private List<FlowStatus> select(String link, String name) {
        List<FlowStatus> all = admin.flows(link);
        if (name == null) {
            return all;
        }
        List<FlowStatus> one = all.stream().filter(f -> f.name().equals(name)).toList();
        if (one.isEmpty()) {
            List<String> names = all.stream().map(FlowStatus::name).toList();
            throw new IllegalArgumentException("no flow '" + name + "'" + (link == null ? "" : " on link " + link)
                    + "; the flows are: " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        return one;
    }

    private List<Map<String, String>> show(String link, String name, boolean statistics) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (FlowStatus f : select(link, name)) {
            rows.add(statistics ? AdminDispatcher.row(FLOW_STAT_FIELDS, f.name(), f.link(), n(f.ipkts()), n(f.rbytes()),
                    n(f.opkts()), n(f.obytes()), n(f.drops())) : flowRow(f));
        }
        return rows;
    }

    private static Map<String, String> flowRow(FlowStatus f) {
        FlowSpec s = f.spec();
        return AdminDispatcher.row(FLOW_FIELDS, f.name(), f.link(), s.ipaddrColumn(), s.protoColumn(), s.lportColumn(),
                s.rportColumn(), s.dsfieldColumn(), f.properties().get("maxbw"), f.properties().get("priority"));
    }

    private List<Map<String, String>> properties(String link, String name) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (FlowStatus f : select(link, name)) {
            rows.add(AdminDispatcher.row(FLOWPROP_FIELDS, f.name(), "maxbw", f.properties().get("maxbw"), "--", "--"));
            rows.add(AdminDispatcher.row(FLOWPROP_FIELDS, f.name(), "priority", f.properties().get("priority"), "medium",
                    "low,medium,high"));
        }
        return rows;
    }

    private static String n(long v) {
        return Long.toString(v);
    }
}
