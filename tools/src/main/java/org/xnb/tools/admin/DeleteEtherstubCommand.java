package org.xnb.tools.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb delete-etherstub}: removes an etherstub nothing is on. */
@Command(name = "delete-etherstub", mixinStandardHelpOptions = true,
        description = {"Delete an etherstub. Refused while a VNIC or a guest's vif is on it (delete-vnic, or detach "
                + "the vif, first) and for links declared with the daemon's --link.",
                "Removed from the daemon's configuration file too; -t: the running daemon only; -P: the file only."},
        footer = {"", "Examples:", "  bin/xnb delete-etherstub stub0", "  bin/xnb delete-etherstub -P stub0"})
public final class DeleteEtherstubCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon (it comes back at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only from the configuration file.")
    boolean persistentOnly;

    @Parameters(arity = "1", paramLabel = "NAME", description = "The etherstub, e.g. stub0 (see show-etherstub).")
    String name;

    @Override
    Integer run() {
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.DELETE_ETHERSTUB, name, null, temporary, null, null, 0,
                persistentOnly)) == null ? FAILED : 0;
    }
}
