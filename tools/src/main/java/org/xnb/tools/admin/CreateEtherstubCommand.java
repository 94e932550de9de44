package org.xnb.tools.admin;

import org.xnb.netback.admin.DatalinkNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb create-etherstub}: an in-process virtual switch in the running daemon. */
@Command(name = "create-etherstub", mixinStandardHelpOptions = true,
        description = {"Create an etherstub: a virtual switch inside the daemon. Guests whose vif names it "
                + "(xenstore bridge key, e.g. vif=['bridge=stub0']) and VNICs made with create-vnic -l NAME join it "
                + "and talk to each other without leaving the process.",
                "NAME: a letter first, then letters, digits, '_' or '.', ending in a digit, at most "
                        + DatalinkNames.ETHERSTUB_MAX + " characters.",
                "Written to the daemon's configuration file (made again at its next start); -t: not written; "
                        + "-P: written only."},
        footer = {"", "Examples:", "  bin/xnb create-etherstub stub0", "  bin/xnb create-etherstub -t lab1"})
public final class CreateEtherstubCommand extends AdminCommand {
    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon (lost at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only in the configuration file (made at the next start).")
    boolean persistentOnly;

    @Parameters(arity = "1", paramLabel = "NAME", description = "The etherstub's name, e.g. stub0.")
    String name;

    @Override
    Integer run() {
        DatalinkNames.check(name, "etherstub", DatalinkNames.ETHERSTUB_MAX);
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.CREATE_ETHERSTUB, name, null, temporary, null, null, 0,
                persistentOnly)) == null ? FAILED : 0;
    }
}
