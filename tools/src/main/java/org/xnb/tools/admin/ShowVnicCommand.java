package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-vnic}: the VNICs (every connected vif) of the running daemon. */
@Command(name = "show-vnic", mixinStandardHelpOptions = true,
        description = {"Show the VNICs of the running daemon: every connected vif, named vif<domid>.<devid>, and the "
                + "VNICs made by create-vnic (dom0's interfaces on a link).",
                "Fields: LINK OVER (the link it joined: its xenstore bridge key) MACADDRESS STATE (up, disabled) "
                        + "GUEST (/local/domain/<domid>/name) DOMID (0: dom0's) MAXBW (in force, Mbit/s) VID (VLAN id, 0: none)."},
        footer = {"", "Examples:", "  bin/xnb show-vnic", "  bin/xnb show-vnic -p -o LINK",
                "  bin/xnb show-vnic -o link,macaddress vif1.0", "  bin/xnb show-vnic -p -o LINK,OVER,MAXBW", "  bin/xnb show-vnic -P"})
public final class ShowVnicCommand extends AdminCommand {
    static final List<String> DEFAULT_FIELDS = List.of("LINK", "OVER", "MACADDRESS", "STATE", "GUEST");

    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields to print: LINK,OVER,MACADDRESS,STATE,GUEST,DOMID,MAXBW,VID or all.")
    String fields;

    @Option(names = {"-P", "--persistent"}, description = "What the daemon's configuration file holds instead "
            + "(made or applied at its next start).")
    boolean persistentOnly;

    @Parameters(arity = "0..1", paramLabel = "LINK", description = "Only this VNIC (e.g. vif1.0).")
    String link;

    @Override
    Integer run() {
        checkParseable(parseable, fields, AdminDispatcher.VNIC_FIELDS);
        List<String> f = FieldTable.select(fields, AdminDispatcher.VNIC_FIELDS, DEFAULT_FIELDS);
        List<Map<String, String>> rows = ask(AdminRequest.datalink(AdminRequest.SHOW_VNIC, link, null, false, null, null, 0,
                persistentOnly));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
