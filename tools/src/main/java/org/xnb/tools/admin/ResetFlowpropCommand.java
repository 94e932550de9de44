package org.xnb.tools.admin;

import org.xnb.vnic.flow.FlowProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb reset-flowprop}: flowadm reset-flowprop. */
@Command(name = "reset-flowprop", mixinStandardHelpOptions = true,
        description = "Put properties of a flow back to their defaults (flowadm reset-flowprop): maxbw none, priority "
                + "medium; without -p every property.",
        footer = {"", "Examples:", "  bin/xnb reset-flowprop -p maxbw iperf", "  bin/xnb reset-flowprop iperf"})
public final class ResetFlowpropCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (the change is gone after a restart).")
    boolean temporary;

    @Option(names = {"-p", "--prop"}, paramLabel = "PROP[,...]", description = "maxbw, priority (default: all).")
    String properties;

    @Parameters(arity = "1", paramLabel = "FLOW", description = "The flow (see show-flow).")
    String name;

    @Override
    Integer run() {
        if (properties != null) {
            for (String p : properties.split(",", -1)) {
                if (!FlowProperties.NAMES.contains(p)) {
                    throw new IllegalArgumentException("-p: unknown property '" + p + "'; allowed: "
                            + String.join(", ", FlowProperties.NAMES));
                }
            }
        }
        return ask(AdminRequest.flowChange(AdminRequest.RESET_FLOWPROP, null, name, null, properties, temporary)) == null ? FAILED
                : 0;
    }
}
