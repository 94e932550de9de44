package org.xnb.harness.netfront.tap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;
import org.xnb.vnic.tap.IpLink;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.tap.TapException;

/**
 * The network namespace {@code xnb-gN} that plays guest N's kernel, with the guest's interface:
 * the TAP device its netfront pumps, named {@code eth0} inside, with the vif's MAC, an IPv4
 * address 198.18.0.N/24 and an IPv6 address 2001:2::N/64 (both benchmarking ranges,
 * RFC 2544/5180). Control plane only, through iproute2.
 */
public final class GuestNamespace {
    public static final String PREFIX = "xnb-g";
    /** Largest GSO frame the guest kernel may build: a Tx frame must stay under 64 KiB (XEN_NETIF_MAX_TX_SIZE). */
    public static final int GSO_MAX_SIZE = 62 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private GuestNamespace() {
    }

    public static String name(int domid) {
        return PREFIX + domid;
    }

    public static String ipv4(int domid) {
        return "198.18.0." + domid;
    }

    public static String ipv6(int domid) {
        return "2001:2::" + Integer.toHexString(domid);
    }

    /** Creates the namespace with its loopback up; fails if it exists (a stale one: run harness down). */
    public static void create(String ns) {
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "dev", "lo", "up");
    }

    /** Moves {@code tap} into {@code ns} as {@code eth0} and configures it. */
    public static IpLink attach(TapDevice tap, String ns, String mac, int domid) {
        IpLink link = tap.link().moveTo(ns);
        run("ip", "-n", ns, "link", "set", "dev", link.name(), "name", "eth0");
        IpLink eth0 = IpLink.inNamespace("eth0", ns);
        eth0.mac(mac);
        run("ip", "-n", ns, "link", "set", "dev", "eth0", "gso_max_size", Integer.toString(GSO_MAX_SIZE));
        eth0.addAddress(ipv4(domid) + "/24");
        // nodad: usable at once instead of after duplicate address detection
        run("ip", "-n", ns, "address", "add", ipv6(domid) + "/64", "dev", "eth0", "nodad");
        eth0.up();
        return eth0;
    }

    /** Deletes the namespace (and the interfaces in it); false if there was none. */
    public static boolean delete(String ns) {
        return Commands.run(TIMEOUT, "ip", "netns", "delete", ns).ok();
    }

    /** Names of the existing namespaces starting with {@code prefix}. */
    public static List<String> list(String prefix) {
        CommandResult r = Commands.run(TIMEOUT, "ip", "netns", "list");
        List<String> out = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.stdout().split("\n")) {
                String name = line.strip().split("\\s+")[0];
                if (name.startsWith(prefix)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static void run(String... argv) {
        CommandResult r = Commands.run(TIMEOUT, argv);
        if (!r.ok()) {
            throw new TapException(r.describe(), 0);
        }
    }
}
