package org.xnb.tools.admin;

import org.xnb.vnic.flow.Flow;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;
import org.xnb.vnic.prop.PropertyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb add-flow}: flowadm add-flow on a live vif. */
@Command(name = "add-flow", mixinStandardHelpOptions = true,
        description = {"Add a flow to a live vif (flowadm add-flow): the vif's lane classifies the frames its guest "
                + "sends and receives, counts each flow's (show-flow -s) and holds each to its maxbw (frames over it "
                + "are dropped and counted).",
                "Attributes, one of these six combinations (one combination per link):",
                "  local_ip=ADDR[/PREFIX] | remote_ip=ADDR[/PREFIX] | transport=tcp|udp|sctp|icmp|icmpv6 |",
                "  transport=tcp|udp|sctp,local_port=N | transport=tcp|udp|sctp,remote_port=N | dsfield=VAL[:MASK] (hex)",
                "local is the guest's side. Properties: maxbw=N[K|M|G] (no suffix = Mbit/s), priority=low|medium|high.",
                "The flow is kept in the daemon's configuration file and comes back when the vif connects again; -t: not kept."},
        footer = {"", "Examples:", "  bin/xnb add-flow -l vif1.0 -a transport=tcp,local_port=5201 -p maxbw=50M iperf",
                "  bin/xnb add-flow -l vif2.0 -a remote_ip=198.18.0.0/24 -p priority=high lan"})
public final class AddFlowCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (the change is gone after a restart).")
    boolean temporary;

    @Option(names = {"-l", "--link"}, required = true, paramLabel = "LINK", description = "The vif, e.g. vif1.0.")
    String link;

    @Option(names = {"-a", "--attr"}, required = true, paramLabel = "ATTR=VALUE[,...]",
            description = "local_ip, remote_ip, transport, local_port, remote_port, dsfield.")
    String attributes;

    @Option(names = {"-p", "--prop"}, paramLabel = "PROP=VALUE[,...]", description = "maxbw, priority.")
    String properties;

    @Parameters(arity = "1", paramLabel = "FLOW", description = "The flow's name (unique across links).")
    String name;

    @Override
    Integer run() {
        try { // the daemon's checks, before asking it
            Flow.checkName(name);
            FlowSpec.parse(attributes);
            if (properties != null) {
                FlowProperties.DEFAULTS.setAll(properties);
            }
        } catch (PropertyException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return ask(AdminRequest.flowChange(AdminRequest.ADD_FLOW, link, name, attributes, properties, temporary)) == null ? FAILED
                : 0;
    }
}
