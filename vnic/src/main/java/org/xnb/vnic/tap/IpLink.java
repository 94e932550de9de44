package org.xnb.vnic.tap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Link settings of one interface (up/down, MTU, MAC, addresses, moving it into a network
 * namespace), done by running iproute2's {@code ip}.
 *
 * <p>Why {@code ip} and not rtnetlink through JNA: these are control-plane operations, a handful
 * per VNIC lifetime, where a fork+exec (a few milliseconds) does not matter; iproute2 is on every
 * dom0 (Xen's own vif-bridge hotplug scripts use it); its error text ("RTNETLINK answers: ...")
 * is already the clear message an operator needs; and a correct netlink client (message
 * building, attribute nesting, ack and error parsing, namespace fds) would be hundreds of lines
 * to get right and keep right. The frame path (read/write/poll on the TAP fd) is JNA.
 *
 * <p>An instance names the interface and the namespace it is in ({@code null} = ours). A
 * TAP fd keeps working after its interface moves to another namespace.
 */
public final class IpLink {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String name;
    private final String namespace;

    private IpLink(String name, String namespace) {
        this.name = TapConfig.checkName(name);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
        this.namespace = namespace == null ? null : checkNamespace(namespace);
    }

    /** The interface {@code name} in our own network namespace. */
    public static IpLink of(String name) {
        return new IpLink(name, null);
    }

    /** The interface {@code name} inside the named network namespace ({@code ip netns}). */
    public static IpLink inNamespace(String name, String namespace) {
        return new IpLink(name, namespace);
    }

    public String name() {
        return name;
    }

    /** The namespace this interface is in, {@code null} for ours. */
    public String namespace() {
        return namespace;
    }

    public IpLink up() {
        ip("link", "set", "dev", name, "up");
        return this;
    }

    public IpLink down() {
        ip("link", "set", "dev", name, "down");
        return this;
    }

    public IpLink mtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be 68..65535: " + mtu);
        }
        ip("link", "set", "dev", name, "mtu", Integer.toString(mtu));
        return this;
    }

    /** Sets the MAC address, {@code aa:bb:cc:dd:ee:ff}. */
    public IpLink mac(String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a MAC address (aa:bb:cc:dd:ee:ff): " + mac);
        }
        ip("link", "set", "dev", name, "address", mac);
        return this;
    }

    /** Adds an address in CIDR form, e.g. {@code 198.18.0.1/24}. */
    public IpLink addAddress(String cidr) {
        ip("address", "add", cidr, "dev", name);
        return this;
    }

    /**
     * Moves the interface into {@code target} (which must exist) and returns the handle that
     * names it there. The interface comes out down and without addresses, as Linux does.
     */
    public IpLink moveTo(String target) {
        ip("link", "set", "dev", name, "netns", checkNamespace(target));
        return new IpLink(name, target);
    }

    /** {@code ip -o link show} of this interface: one line with flags, MTU, state and MAC. */
    public String show() {
        return ip("-o", "link", "show", "dev", name).strip();
    }

    /** The MTU the kernel reports. */
    public int readMtu() {
        String[] words = show().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("mtu")) {
                return Integer.parseInt(words[i + 1]);
            }
        }
        throw new TapException("no mtu in: " + show(), 0);
    }

    /** The MAC address the kernel reports. */
    public String readMac() {
        String[] words = show().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("link/ether")) {
                return words[i + 1];
            }
        }
        throw new TapException("no link/ether in: " + show(), 0);
    }

    /** Whether the administrative UP flag is set. */
    public boolean isUp() {
        String line = show();
        int open = line.indexOf('<');
        int close = line.indexOf('>');
        if (open < 0 || close < open) {
            throw new TapException("no flags in: " + line, 0);
        }
        for (String flag : line.substring(open + 1, close).split(",")) {
            if (flag.equals("UP")) {
                return true;
            }
        }
        return false;
    }

    private String ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        if (namespace != null) {
            argv.add("-n");
            argv.add(namespace);
        }
        argv.addAll(List.of(args));
        CommandResult r = Commands.run(TIMEOUT, argv);
        if (!r.ok()) {
            throw new TapException(r.describe(), 0);
        }
        return r.stdout();
    }

    private static String checkNamespace(String ns) {
        if (!NETNS.matcher(ns).matches()) {
            throw new IllegalArgumentException("bad network namespace name: '" + ns + "'");
        }
        return ns;
    }

    @Override
    public String toString() {
        return namespace == null ? name : name + "@" + namespace;
    }
}
