package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-flow}: flowadm show-flow, and with {@code -s} the flows' counters (flowstat). */
@Command(name = "show-flow", mixinStandardHelpOptions = true,
        description = {"Show the flows of the running daemon (flowadm show-flow): FLOW LINK IPADDR PROTO LPORT RPORT "
                + "DSFLD, and on request MAXBW PRIORITY.",
                "-s: counters instead (flowstat): IPKTS RBYTES (to the guest) OPKTS OBYTES (from the guest) DROPS "
                        + "(over the flow's maxbw)."},
        footer = {"", "Examples:", "  bin/xnb show-flow", "  bin/xnb show-flow -l vif1.0 -o all",
                "  bin/xnb show-flow -s -p -o FLOW,IPKTS,DROPS iperf"})
public final class ShowFlowCommand extends AdminCommand {
    @Option(names = {"-s", "--statistics"}, description = "Counters instead of the flow's description.")
    boolean statistics;

    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields: FLOW,LINK,IPADDR,PROTO,LPORT,RPORT,DSFLD,MAXBW,PRIORITY; with -s FLOW,LINK,IPKTS,"
                    + "RBYTES,OPKTS,OBYTES,DROPS; or all.")
    String fields;

    @Option(names = {"-l", "--link"}, paramLabel = "LINK", description = "Only the flows of this vif.")
    String link;

    @Parameters(arity = "0..1", paramLabel = "FLOW", description = "Only this flow.")
    String name;

    @Override
    Integer run() {
        List<String> allowed = statistics ? FlowRequests.FLOW_STAT_FIELDS : FlowRequests.FLOW_FIELDS;
        checkParseable(parseable, fields, allowed);
        List<String> f = FieldTable.select(fields, allowed,
                statistics ? FlowRequests.FLOW_STAT_FIELDS : FlowRequests.FLOW_DEFAULT_FIELDS);
        List<Map<String, String>> rows = ask(AdminRequest.flow(AdminRequest.SHOW_FLOW, link, name, null, null,
                statistics));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
