package org.xnb.tools.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb remove-flow}: flowadm remove-flow, one flow or every flow of a link. */
@Command(name = "remove-flow", mixinStandardHelpOptions = true,
        description = "Remove a flow by name, or with -l every flow of a link (flowadm remove-flow).",
        footer = {"", "Examples:", "  bin/xnb remove-flow iperf", "  bin/xnb remove-flow -l vif1.0"})
public final class RemoveFlowCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (the change is gone after a restart).")
    boolean temporary;

    @Option(names = {"-l", "--link"}, paramLabel = "LINK", description = "Remove every flow of this vif.")
    String link;

    @Parameters(arity = "0..1", paramLabel = "FLOW", description = "The flow to remove.")
    String name;

    @Override
    Integer run() {
        if ((link == null) == (name == null)) {
            throw new IllegalArgumentException("give either -l LINK or FLOW (one of them); e.g. 'remove-flow iperf' or "
                    + "'remove-flow -l vif1.0'");
        }
        return ask(AdminRequest.flowChange(AdminRequest.REMOVE_FLOW, link, name, null, null, temporary)) == null ? FAILED : 0;
    }
}
