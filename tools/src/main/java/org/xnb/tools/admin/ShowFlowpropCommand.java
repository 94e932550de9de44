package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-flowprop}: flowadm show-flowprop. */
@Command(name = "show-flowprop", mixinStandardHelpOptions = true,
        description = {"Show the properties of every flow (or of FLOW, or of the flows of -l LINK): FLOW PROPERTY "
                + "VALUE DEFAULT POSSIBLE (flowadm show-flowprop; -p is parseable output here, as in every xnb "
                + "command, where flowadm uses -c)."},
        footer = {"", "Examples:", "  bin/xnb show-flowprop iperf", "  bin/xnb show-flowprop -p -o FLOW,PROPERTY,VALUE"})
public final class ShowFlowpropCommand extends AdminCommand {
    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields: FLOW,PROPERTY,VALUE,DEFAULT,POSSIBLE or all.")
    String fields;

    @Option(names = {"-l", "--link"}, paramLabel = "LINK", description = "Only the flows of this vif.")
    String link;

    @Parameters(arity = "0..1", paramLabel = "FLOW", description = "Only this flow.")
    String name;

    @Override
    Integer run() {
        checkParseable(parseable, fields, FlowRequests.FLOWPROP_FIELDS);
        List<String> f = FieldTable.select(fields, FlowRequests.FLOWPROP_FIELDS, FlowRequests.FLOWPROP_FIELDS);
        List<Map<String, String>> rows = ask(AdminRequest.flow(AdminRequest.SHOW_FLOWPROP, link, name, null, null,
                false));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
