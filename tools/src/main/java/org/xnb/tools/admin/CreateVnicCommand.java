package org.xnb.tools.admin;

import org.xnb.netback.admin.DatalinkNames;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.PropertyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xnb create-vnic}: a VNIC of dom0 on a link of the running daemon. */
@Command(name = "create-vnic", mixinStandardHelpOptions = true,
        description = {"Create a VNIC over a link: dom0's own interface on it. The daemon makes a TAP device NAME "
                + "in its network namespace with the VNIC's MAC and joins it to LINK's switch, so dom0 (give NAME an "
                + "address, or move it into a namespace) talks to the guests on LINK. It is a lane like a guest's "
                + "vif: show-vnic, show-link -s, show-linkprop, set-linkprop and dlstat show it; maxbw limits what "
                + "dom0 sends into LINK, protection checks it, mtu is the interface's MTU.",
                "LINK: an etherstub (create-etherstub), a link of the daemon (--link, or made by a vif), or a Linux "
                        + "bridge here (joined through a TAP port, as a vif's bridge key does).",
                "NAME: a letter first, then letters, digits, '_' or '.', ending in a digit, at most "
                        + DatalinkNames.VNIC_MAX + " characters (it is a Linux interface name).",
                "Written to the daemon's configuration file (made again at its next start); -t: not written; "
                        + "-P: written only."},
        footer = {"", "Examples:", "  bin/xnb create-vnic -l stub0 web0",
                "  bin/xnb create-vnic -l stub0 -p maxbw=100M,priority=high web0",
                "  bin/xnb create-vnic -l stub0 -m 00:16:3e:00:00:10 web1",
                "  bin/xnb create-vnic -l stub0 -v 5 db0         (VLAN 5 on stub0)",
                "  ip addr add 198.18.0.254/24 dev web0      (then ping the guests on stub0 from dom0)"})
public final class CreateVnicCommand extends AdminCommand {
    @Option(names = {"-l", "--link"}, required = true, paramLabel = "LINK",
            description = "The link to create it over: an etherstub or a link of the daemon.")
    String over;

    @Option(names = {"-m", "--mac-address"}, paramLabel = "MAC",
            description = "Its MAC address, xx:xx:xx:xx:xx:xx, unicast (default: random, 00:16:3e:xx:xx:xx).")
    String mac;

    @Option(names = {"-v", "--vid"}, paramLabel = "VID", defaultValue = "0",
            description = "A VLAN id, 1-4094: what dom0 sends is tagged with it on LINK, only frames tagged "
                    + "with it reach NAME (untagged). Default: none.")
    int vid;

    @Option(names = {"-p", "--prop"}, paramLabel = "PROP=VALUE[,...]",
            description = "Link properties: maxbw, priority, cpus, protection, allowed-ips, mtu (see set-linkprop).")
    String properties;

    @Option(names = {"-t", "--temporary"}, description = "Only in the running daemon (lost at restart).")
    boolean temporary;

    @Option(names = {"-P", "--persistent"}, description = "Only in the configuration file (made at the next start).")
    boolean persistentOnly;

    @Parameters(arity = "1", paramLabel = "NAME", description = "The VNIC's name, e.g. web0.")
    String name;

    @Override
    Integer run() {
        DatalinkNames.check(name, "VNIC", DatalinkNames.VNIC_MAX);
        if (mac != null) {
            org.xnb.vnic.MacAddress.parse(mac); // its IllegalArgumentException says what is wrong
        }
        if (vid < 0 || vid > 4094) {
            throw new IllegalArgumentException("-v " + vid + ": a VLAN id is 1-4094 (or no -v: untagged)");
        }
        if (properties != null) {
            try {
                LinkProperties.defaults().setAll(properties);
            } catch (PropertyException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        PersistentAdmin.Scope.of(temporary, persistentOnly);
        return ask(AdminRequest.datalink(AdminRequest.CREATE_VNIC, name, properties, temporary, over, mac, vid,
                persistentOnly)) == null ? FAILED : 0;
    }
}
