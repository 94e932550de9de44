package org.xnb.tools.admin;

import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.prop.PropertyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb set-flowprop}: flowadm set-flowprop on a live flow. */
@Command(name = "set-flowprop", mixinStandardHelpOptions = true,
        description = {"Set properties of a flow, all or nothing (flowadm set-flowprop); the lane applies them at its "
                + "next frame:", "  maxbw=N[K|M|G] (1.2M..400G; no suffix = Mbit/s)   priority=low|medium|high"},
        footer = {"", "Examples:", "  bin/xnb set-flowprop -p maxbw=10M iperf",
                "  bin/xnb set-flowprop -p maxbw=2G,priority=high lan"})
public final class SetFlowpropCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (the change is gone after a restart).")
    boolean temporary;

    @Option(names = {"-p", "--prop"}, required = true, paramLabel = "PROP=VALUE[,...]", description = "maxbw, priority.")
    String properties;

    @Parameters(arity = "1", paramLabel = "FLOW", description = "The flow (see show-flow).")
    String name;

    @Override
    Integer run() {
        try {
            FlowProperties.DEFAULTS.setAll(properties);
        } catch (PropertyException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return ask(AdminRequest.flowChange(AdminRequest.SET_FLOWPROP, null, name, null, properties, temporary)) == null ? FAILED
                : 0;
    }
}
