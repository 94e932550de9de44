package org.xnb.tools.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.PropertyException;

/** {@code xnb set-linkprop}: sets link properties on a live vif. */
@Command(name = "set-linkprop", mixinStandardHelpOptions = true,
        description = {"Set link properties on a live vif, all or nothing:",
                "  maxbw=N[K|M|G]   limit what the guest sends (1.2M..400G; no suffix = Mbit/s); wins over the "
                        + "vif's xenstore rate until reset",
                "  priority=low|medium|high   cpus=0,2-3 (the lane's thread; --threads dedicated)",
                "  protection=mac-nospoof,ip-nospoof,dhcp-nospoof,restricted   allowed-ips=ADDR[/PREFIX],...",
                "  mtu=68..9000     once set, longer non-GSO frames from the guest are dropped",
                "Changes are written to the daemon's configuration file too (its --config) and applied again "
                        + "when the daemon restarts or the vif connects again; -t: not written; -P: written only.",
                "LINK: a guest's vif (vif<domid>.<devid>) or a VNIC made by create-vnic."},
        footer = {"", "Examples:", "  bin/xnb set-linkprop -p maxbw=100M vif1.0",
                "  bin/xnb set-linkprop -p maxbw=50M web0",
                "  bin/xnb set-linkprop -t -p protection=mac-nospoof,ip-nospoof,allowed-ips=198.18.0.1 vif1.0"})
public final class SetLinkpropCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon: not written to its "
            + "configuration file (lost at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only in the daemon's configuration file: applied at its "
            + "next start (or when the vif connects again).")
    boolean persistentOnly;

    @Option(names = {"-p", "--prop"}, required = true, paramLabel = "PROP=VALUE[,...]",
            description = "Properties to set: maxbw, priority, cpus, protection, allowed-ips, mtu.")
    String properties;

    @Parameters(arity = "1", paramLabel = "LINK", description = "The vif, e.g. vif1.0 (see show-vnic).")
    String link;

    @Override
    Integer run() {
        try {
            LinkProperties.defaults().setAll(properties); // the same checks the daemon makes, before asking it
        } catch (PropertyException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.SET_LINKPROP, link, properties, temporary, null, null, 0,
                persistentOnly)) == null ? FAILED : 0;
    }
}
