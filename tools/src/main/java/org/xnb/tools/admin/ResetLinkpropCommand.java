package org.xnb.tools.admin;

import org.xnb.vnic.prop.LinkProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb reset-linkprop}: puts link properties of a live vif back to their defaults. */
@Command(name = "reset-linkprop", mixinStandardHelpOptions = true,
        description = {"Put link properties of a live vif back to their defaults. maxbw: the vif's xenstore rate "
                + "applies again (none: no limit); cpus: the lane thread's CPUs before the first set-linkprop.",
                "Removed from the daemon's configuration file too; -t: the running daemon only; -P: the file only."},
        footer = {"", "Examples:", "  bin/xnb reset-linkprop -p maxbw vif1.0",
                "  bin/xnb reset-linkprop -p protection,allowed-ips vif1.0"})
public final class ResetLinkpropCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (lost at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only in the daemon's configuration file: applied at its "
            + "next start (or when the vif connects again).")
    boolean persistentOnly;

    @Option(names = {"-p", "--prop"}, required = true, paramLabel = "PROP[,...]",
            description = "Properties to reset: maxbw, priority, cpus, protection, allowed-ips, mtu.")
    String properties;

    @Parameters(arity = "1", paramLabel = "LINK", description = "The vif, e.g. vif1.0 (see show-vnic).")
    String link;

    @Override
    Integer run() {
        for (String p : properties.split(",", -1)) {
            if (!LinkProperties.NAMES.contains(p)) {
                throw new IllegalArgumentException("-p: unknown property '" + p + "'; allowed: "
                        + String.join(", ", LinkProperties.NAMES));
            }
        }
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.RESET_LINKPROP, link, properties, temporary, null, null, 0,
                persistentOnly)) == null ? FAILED : 0;
    }
}
