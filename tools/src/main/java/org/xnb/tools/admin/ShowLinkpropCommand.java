package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-linkprop}: link properties of the running daemon's vifs. */
@Command(name = "show-linkprop", mixinStandardHelpOptions = true,
        description = {"Show the link properties of every vif and VNIC (or of LINK): maxbw priority cpus protection "
                + "allowed-ips mtu. -P: the values the configuration file holds (EFFECTIVE --).",
                "VALUE is what set-linkprop set (-- for nothing); EFFECTIVE what is in force: for maxbw the set value, "
                        + "else the vif's xenstore rate in Mbit/s; for cpus the lane thread's CPUs."},
        footer = {"", "Examples:", "  bin/xnb show-linkprop vif1.0",
                "  bin/xnb show-linkprop -p -o LINK,PROPERTY,EFFECTIVE", "  bin/xnb show-linkprop -P -o LINK,PROPERTY,VALUE"})
public final class ShowLinkpropCommand extends AdminCommand {
    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields: LINK,PROPERTY,PERM,VALUE,EFFECTIVE,DEFAULT,POSSIBLE or all.")
    String fields;

    @Option(names = {"-P", "--persistent"}, description = "What the daemon's configuration file holds instead "
            + "(made or applied at its next start).")
    boolean persistentOnly;

    @Parameters(arity = "0..1", paramLabel = "LINK", description = "Only this link (e.g. vif1.0).")
    String link;

    @Override
    Integer run() {
        checkParseable(parseable, fields, AdminDispatcher.LINKPROP_FIELDS);
        List<String> f = FieldTable.select(fields, AdminDispatcher.LINKPROP_FIELDS, AdminDispatcher.LINKPROP_FIELDS);
        List<Map<String, String>> rows = ask(AdminRequest.datalink(AdminRequest.SHOW_LINKPROP, link, null, false, null, null, 0,
                persistentOnly));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
