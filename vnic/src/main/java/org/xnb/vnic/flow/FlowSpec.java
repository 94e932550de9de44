package org.xnb.vnic.flow;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xnb.vnic.prop.IpPrefix;
import org.xnb.vnic.prop.PropertyException;
import org.xnb.vnic.prop.PropertyList;

/**
 * A flow's attributes ({@code flowadm add-flow -a ...}), validated as libdladm's
 * {@code flowattr.c} and the kernel's {@code mac_flow.c} validate them:
 *
 * <ul>
 *   <li>{@code local_ip}/{@code remote_ip} = IPv4 or IPv6 address with optional /prefix (1-32,
 *       1-128); the address must not be all zeros after masking.</li>
 *   <li>{@code transport} = tcp | udp | sctp | icmp | icmpv6.</li>
 *   <li>{@code local_port}/{@code remote_port} = 1-65535, decimal; only with transport tcp, udp
 *       or sctp.</li>
 *   <li>{@code dsfield} = value[:mask], both hexadecimal 0x01-0xff ({@code 0x} optional), mask
 *       defaults to 0xff. We also refuse a value with bits outside its mask, which the kernel
 *       would accept and never match ({@code (tos & mask) == value}).</li>
 *   <li>Each attribute at most once, and only the six combinations of {@link FlowType}.</li>
 * </ul>
 */
public final class FlowSpec {
    public static final List<String> ATTRIBUTES = List.of("local_ip", "remote_ip", "transport", "local_port",
            "remote_port", "dsfield");

    private final FlowType type;
    private final IpPrefix address; // LOCAL_IP / REMOTE_IP
    private final Transport transport; // TRANSPORT*
    private final int port; // *_PORT
    private final int dsValue;
    private final int dsMask;

    private FlowSpec(FlowType type, IpPrefix address, Transport transport, int port, int dsValue, int dsMask) {
        this.type = type;
        this.address = address;
        this.transport = transport;
        this.port = port;
        this.dsValue = dsValue;
        this.dsMask = dsMask;
    }

    public static FlowSpec localIp(IpPrefix p) {
        return new FlowSpec(FlowType.LOCAL_IP, checkAddress(p, "local_ip"), null, 0, 0, 0);
    }

    public static FlowSpec remoteIp(IpPrefix p) {
        return new FlowSpec(FlowType.REMOTE_IP, checkAddress(p, "remote_ip"), null, 0, 0, 0);
    }

    public static FlowSpec transport(Transport t) {
        return new FlowSpec(FlowType.TRANSPORT, null, t, 0, 0, 0);
    }

    public static FlowSpec localPort(Transport t, int port) {
        return new FlowSpec(FlowType.TRANSPORT_LOCAL_PORT, null, checkPorts(t, "local_port"), checkPort(port, "local_port"), 0, 0);
    }

    public static FlowSpec remotePort(Transport t, int port) {
        return new FlowSpec(FlowType.TRANSPORT_REMOTE_PORT, null, checkPorts(t, "remote_port"), checkPort(port, "remote_port"), 0, 0);
    }

    public static FlowSpec dsfield(int value, int mask) {
        if (mask < 1 || mask > 0xFF) {
            throw new PropertyException("dsfield: mask 0x" + Integer.toHexString(mask) + " out of range; allowed: 0x01-0xff");
        }
        if (value < 1 || value > 0xFF) {
            throw new PropertyException("dsfield: value 0x" + Integer.toHexString(value) + " out of range; allowed: 0x01-0xff");
        }
        if ((value & ~mask) != 0) {
            throw new PropertyException("dsfield: value 0x" + Integer.toHexString(value) + " has bits outside mask 0x"
                    + Integer.toHexString(mask) + " and could never match; clear them or widen the mask");
        }
        return new FlowSpec(FlowType.DSFIELD, null, null, 0, value, mask);
    }

    /** Parses {@code attr=value[,attr=value...]}. */
    public static FlowSpec parse(String text) {
        Map<String, String> a = PropertyList.split(text, new LinkedHashSet<>(ATTRIBUTES), Set.of(), "attribute");
        boolean lip = a.containsKey("local_ip");
        boolean rip = a.containsKey("remote_ip");
        boolean tr = a.containsKey("transport");
        boolean lp = a.containsKey("local_port");
        boolean rp = a.containsKey("remote_port");
        boolean ds = a.containsKey("dsfield");
        // Parse every value first, so a bad value is reported as such even in a bad combination.
        IpPrefix local = lip ? IpPrefix.parse(a.get("local_ip"), "local_ip") : null;
        IpPrefix remote = rip ? IpPrefix.parse(a.get("remote_ip"), "remote_ip") : null;
        Transport t = tr ? Transport.parse(a.get("transport")) : null;
        int lport = lp ? parsePort(a.get("local_port"), "local_port") : 0;
        int rport = rp ? parsePort(a.get("remote_port"), "remote_port") : 0;
        if ((lp || rp) && !tr) {
            throw new PropertyException((lp ? "local_port" : "remote_port")
                    + " needs transport=tcp, udp or sctp; flowadm allows one of: " + FlowType.allowedText());
        }
        if (lp && rp) {
            throw new PropertyException("local_port and remote_port cannot be combined; flowadm allows one of: "
                    + FlowType.allowedText());
        }
        if (a.size() > (tr && (lp || rp) ? 2 : 1)) {
            throw new PropertyException("the attributes " + String.join(",", a.keySet())
                    + " cannot be combined; flowadm allows one of: " + FlowType.allowedText());
        }
        if (lip) {
            return localIp(local);
        }
        if (rip) {
            return remoteIp(remote);
        }
        if (ds) {
            return parseDsfield(a.get("dsfield"));
        }
        if (lp) {
            return localPort(t, lport);
        }
        if (rp) {
            return remotePort(t, rport);
        }
        return transport(t);
    }

    private static IpPrefix checkAddress(IpPrefix p, String what) {
        if (p.isUnspecified()) {
            throw new PropertyException(what + ": " + p + " is all zeros after masking; give a host or subnet address");
        }
        return p;
    }

    private static Transport checkPorts(Transport t, String what) {
        if (!t.hasPorts()) {
            throw new PropertyException("transport=" + t.token() + " has no ports; " + what + " needs tcp, udp or sctp");
        }
        return t;
    }

    private static int checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new PropertyException(what + ": " + port + " is not a port; allowed: 1-65535");
        }
        return port;
    }

    private static int parsePort(String s, String what) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            throw new PropertyException(what + ": '" + s + "' is not a port; allowed: 1-65535 (decimal)");
        }
        return checkPort(Integer.parseInt(s), what);
    }

    private static FlowSpec parseDsfield(String s) {
        int colon = s.indexOf(':');
        int value = hexByte(colon < 0 ? s : s.substring(0, colon), "value");
        int mask = colon < 0 ? 0xFF : hexByte(s.substring(colon + 1), "mask");
        return dsfield(value, mask);
    }

    private static int hexByte(String s, String what) {
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (h.isEmpty() || h.length() > 2 || h.chars().anyMatch(c -> Character.digit(c, 16) < 0)) {
            throw new PropertyException("dsfield: " + what + " '" + s + "' is not hexadecimal 0x01-0xff"
                    + " (syntax: dsfield=value[:mask], e.g. 0x2e:0xfc)");
        }
        return Integer.parseInt(h, 16);
    }

    public FlowType type() {
        return type;
    }

    /** The local_ip or remote_ip prefix, or null. */
    public IpPrefix address() {
        return address;
    }

    public Transport transport() {
        return transport;
    }

    public int port() {
        return port;
    }

    public int dsValue() {
        return dsValue;
    }

    public int dsMask() {
        return dsMask;
    }

    /** show-flow's IPADDR column: {@code LCL:198.18.0.0/15}, {@code RMT:...} or {@code --}. */
    public String ipaddrColumn() {
        return address == null ? "--" : (type == FlowType.LOCAL_IP ? "LCL:" : "RMT:") + address;
    }

    public String protoColumn() {
        return transport == null ? "--" : transport.token();
    }

    public String lportColumn() {
        return type == FlowType.TRANSPORT_LOCAL_PORT ? Integer.toString(port) : "--";
    }

    public String rportColumn() {
        return type == FlowType.TRANSPORT_REMOTE_PORT ? Integer.toString(port) : "--";
    }

    public String dsfieldColumn() {
        return type == FlowType.DSFIELD ? "0x" + Integer.toHexString(dsValue) + ":0x" + Integer.toHexString(dsMask) : "--";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowSpec f && f.type == type && Objects.equals(f.address, address) && f.transport == transport
                && f.port == port && f.dsValue == dsValue && f.dsMask == dsMask;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, address, transport, port, dsValue, dsMask);
    }

    /** The attributes as {@code add-flow -a} takes them. */
    @Override
    public String toString() {
        switch (type) {
            case LOCAL_IP:
                return "local_ip=" + address;
            case REMOTE_IP:
                return "remote_ip=" + address;
            case TRANSPORT:
                return "transport=" + transport.token();
            case TRANSPORT_LOCAL_PORT:
                return "transport=" + transport.token() + ",local_port=" + port;
            case TRANSPORT_REMOTE_PORT:
                return "transport=" + transport.token() + ",remote_port=" + port;
            default:
                return "dsfield=" + dsfieldColumn();
        }
    }
}
