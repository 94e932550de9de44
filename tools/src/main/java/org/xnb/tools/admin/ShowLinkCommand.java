package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb show-link}: the links (vifs) of the running daemon, or with {@code -s} their counters. */
@Command(name = "show-link", mixinStandardHelpOptions = true,
        description = {"Show the running daemon's links: every connected vif (CLASS vnic) with its STATE and the "
                + "link it is OVER.",
                "-s: counters instead: the lane's IPKTS RBYTES (from the guest) OPKTS OBYTES (to the guest) SDROPS, and "
                        + "the Tx drops by reason: MACSPOOFED IPSPOOFED DHCPSPOOFED RESTRICTED MALFORMED "
                        + "(link protection) MTUDROPS (longer than the mtu property)."},
        footer = {"", "Examples:", "  bin/xnb show-link", "  bin/xnb show-link -s vif1.0",
                "  bin/xnb show-link -s -p -o LINK,MACSPOOFED,IPSPOOFED"})
public final class ShowLinkCommand extends AdminCommand {
    @Option(names = {"-s", "--statistics"}, description = "Counters instead of the link's description.")
    boolean statistics;

    @Option(names = {"-p", "--parseable"}, description = "Colon-separated fields, no header (needs -o).")
    boolean parseable;

    @Option(names = {"-o", "--output"}, paramLabel = "FIELD[,FIELD...]",
            description = "Fields: LINK,CLASS,STATE,OVER; with -s LINK,IPKTS,RBYTES,OPKTS,OBYTES,SDROPS,MACSPOOFED,"
                    + "IPSPOOFED,DHCPSPOOFED,RESTRICTED,MALFORMED,MTUDROPS; or all.")
    String fields;

    @Parameters(arity = "0..1", paramLabel = "LINK", description = "Only this link (e.g. vif1.0).")
    String link;

    @Override
    Integer run() {
        List<String> allowed = statistics ? AdminDispatcher.LINK_STAT_FIELDS : AdminDispatcher.LINK_FIELDS;
        checkParseable(parseable, fields, allowed);
        List<String> f = FieldTable.select(fields, allowed, allowed);
        List<Map<String, String>> rows = ask(new AdminRequest(AdminRequest.SHOW_LINK, link, null, false, statistics));
        if (rows == null) {
            return FAILED;
        }
        print(FieldTable.format(f, rows, parseable));
        return 0;
    }
}
