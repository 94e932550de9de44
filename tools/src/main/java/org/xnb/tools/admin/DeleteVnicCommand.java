package org.xnb.tools.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb delete-vnic}: removes a VNIC made by create-vnic. */
@Command(name = "delete-vnic", mixinStandardHelpOptions = true,
        description = {"Delete a VNIC made by create-vnic: it leaves its link and its TAP device goes. A guest's vif "
                + "(vif<domid>.<devid>) goes with the guest instead (xl network-detach, xnb detach).",
                "Removed from the daemon's configuration file too; -t: the running daemon only; -P: the file only."},
        footer = {"", "Examples:", "  bin/xnb delete-vnic web0", "  bin/xnb delete-vnic -t web0"})
public final class DeleteVnicCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon (it comes back at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only from the configuration file.")
    boolean persistentOnly;

    @Parameters(arity = "1", paramLabel = "NAME", description = "The VNIC, e.g. web0 (see show-vnic).")
    String name;

    @Override
    Integer run() {
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.DELETE_VNIC, name, null, temporary, null, null, 0,
                persistentOnly)) == null ? FAILED : 0;
    }
}
