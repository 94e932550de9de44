package org.xnb.vnic.flow;

import java.util.Locale;
import org.xnb.vnic.frame.IpHeaders;
import org.xnb.vnic.prop.PropertyException;

/** flowadm's {@code transport} values and their IP protocol numbers. */
public enum Transport {
    TCP(IpHeaders.PROTO_TCP, true),
    UDP(IpHeaders.PROTO_UDP, true),
    SCTP(IpHeaders.PROTO_SCTP, true),
    ICMP(IpHeaders.PROTO_ICMP, false),
    ICMPV6(IpHeaders.PROTO_ICMPV6, false);

    private final int protocol;
    private final boolean hasPorts;

    Transport(int protocol, boolean hasPorts) {
        this.protocol = protocol;
        this.hasPorts = hasPorts;
    }

    public int protocol() {
        return protocol;
    }

    /** TCP, UDP and SCTP carry ports; ICMP and ICMPv6 do not. */
    public boolean hasPorts() {
        return hasPorts;
    }

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a transport name, case-insensitively (flowadm's own example writes {@code TCP}).
     * Exact names only: libdladm's {@code dladm_str2proto} compares prefixes and so takes
     * {@code tcpx} for tcp; we refuse it.
     */
    public static Transport parse(String text) {
        for (Transport t : values()) {
            if (t.token().equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw new PropertyException("transport: '" + text + "' is not supported; allowed: tcp, udp, sctp, icmp, icmpv6");
    }

    /** The transport of an IP protocol number, or null. */
    public static Transport of(int protocol) {
        for (Transport t : values()) {
            if (t.protocol == protocol) {
                return t;
            }
        }
        return null;
    }
}
