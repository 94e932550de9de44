package org.xnb.vnic.flow;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.IpHeaders;
import org.xnb.vnic.prop.IpPrefix;

/**
 * Maps a frame to the flow it belongs to: an immutable snapshot of one link's flows, compiled into
 * primitive arrays, shared by that link's lanes without a lock. Classifying reads the frame once,
 * allocates nothing and does bounded work: at most {@link IpHeaders#MAX_EXTENSION_HEADERS} IPv6
 * extension headers and one pass over at most {@link FlowTable#MAX_FLOWS} entries.
 *
 * <p>Semantics follow illumos {@code mac_flow.c}:
 * <ul>
 *   <li>Inbound (toward the VNIC) the local address/port is the destination; outbound (sent by
 *       the VNIC) it is the source.</li>
 *   <li>local_ip/remote_ip: the longest matching prefix wins (the kernel keeps the list in
 *       descending prefix order).</li>
 *   <li>transport: the IP protocol (the final IPv6 next header); every fragment matches.</li>
 *   <li>transport+port: TCP/UDP/SCTP with the port; a fragment never matches (the kernel's
 *       {@code flow_transport_accept} refuses fragmented packets, so all fragments of one datagram
 *       stay together in the default flow), nor a frame cut short before the port.</li>
 *   <li>dsfield: {@code (tos & mask) == value} on the IPv4 TOS or IPv6 traffic class; the flow
 *       added last is tried first (the kernel prepends to its dsfield list).</li>
 *   <li>Frames that are not IPv4/IPv6, or whose IP header is malformed: no flow (-1).</li>
 * </ul>
 * The Ethernet header may carry one 802.1Q tag.
 */
public final class FlowClassifier {
    /** No flow matched: the packet belongs to the link's default flow. */
    public static final int NO_FLOW = -1;

    private static final FlowClassifier EMPTY = new FlowClassifier(null, new Flow[0], new int[0]);

    private final FlowType type;
    private final Flow[] flows;
    // local_ip / remote_ip, per family, in match order (longest prefix first):
    private final int[] v4Flow;
    private final int[] v4Addr;
    private final int[] v4Mask;
    private final int[] v6Flow;
    private final long[] v6High;
    private final long[] v6Low;
    private final long[] v6MaskHigh;
    private final long[] v6MaskLow;
    // dsfield, in match order (newest first):
    private final int[] dsValue;
    private final int[] dsMask;
    // transport: protocol -> flow; transport+port: protocol << 16 | port -> flow
    private final int[] byProtocol;
    private final Int2IntHashMap byPort;
    // match order -> index into flows
    private final int[] order;

    private FlowClassifier(FlowType type, Flow[] flows, int[] order) {
        this.type = type;
        this.flows = flows;
        this.order = order;
        int n = order.length;
        int v4Count = 0;
        for (int k = 0; k < n; k++) {
            IpPrefix a = flows[order[k]].spec().address();
            v4Count += a != null && !a.isV6() ? 1 : 0;
        }
        int v6Count = type == FlowType.LOCAL_IP || type == FlowType.REMOTE_IP ? n - v4Count : 0;
        v4Flow = new int[v4Count];
        v4Addr = new int[v4Count];
        v4Mask = new int[v4Count];
        v6Flow = new int[v6Count];
        v6High = new long[v6Count];
        v6Low = new long[v6Count];
        v6MaskHigh = new long[v6Count];
        v6MaskLow = new long[v6Count];
        int i4 = 0;
        int i6 = 0;
        dsValue = new int[n];
        dsMask = new int[n];
        byProtocol = new int[256];
        java.util.Arrays.fill(byProtocol, NO_FLOW);
        byPort = new Int2IntHashMap(Math.max(8, n * 2), 0.5f, NO_FLOW);
        for (int k = 0; k < n; k++) {
            FlowSpec s = flows[order[k]].spec();
            switch (s.type()) {
                case LOCAL_IP, REMOTE_IP -> {
                    IpPrefix a = s.address();
                    int len = a.prefixLength();
                    if (a.isV6()) {
                        v6Flow[i6] = order[k];
                        v6High[i6] = a.high();
                        v6Low[i6] = a.low();
                        v6MaskHigh[i6] = len >= 64 ? -1L : -1L << (64 - len);
                        v6MaskLow[i6] = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                        i6++;
                    } else {
                        v4Flow[i4] = order[k];
                        v4Addr[i4] = a.v4Address();
                        v4Mask[i4] = (int) (0xFFFF_FFFFL << (32 - len));
                        i4++;
                    }
                }
                case DSFIELD -> {
                    dsValue[k] = s.dsValue();
                    dsMask[k] = s.dsMask();
                }
                case TRANSPORT -> byProtocol[s.transport().protocol()] = order[k];
                default -> byPort.put(s.transport().protocol() << 16 | s.port(), order[k]);
            }
        }
    }

    static FlowClassifier empty() {
        return EMPTY;
    }

    /** Compiles flows, all of one type, given in the order they were added. */
    static FlowClassifier compile(Flow[] flows) {
        if (flows.length == 0) {
            return EMPTY;
        }
        FlowType type = flows[0].spec().type();
        Integer[] idx = new Integer[flows.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (type == FlowType.LOCAL_IP || type == FlowType.REMOTE_IP) {
            // Longest prefix first; among equal lengths the newer first, as flow_ip_insert_fe.
            java.util.Arrays.sort(idx, (a, b) -> {
                int c = Integer.compare(flows[b].spec().address().prefixLength(), flows[a].spec().address().prefixLength());
                return c != 0 ? c : Integer.compare(b, a);
            });
        } else if (type == FlowType.DSFIELD) {
            java.util.Arrays.sort(idx, (a, b) -> Integer.compare(b, a));
        }
        int[] order = new int[idx.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = idx[i];
        }
        return new FlowClassifier(type, flows.clone(), order);
    }

    /** The flows, indexed as {@link #classify} answers. */
    public int size() {
        return flows.length;
    }

    public Flow flow(int index) {
        return flows[index];
    }

    /** The type of every flow here, or null when there are none. */
    public FlowType type() {
        return type;
    }

    /** The flow of a frame arriving for the VNIC, or {@link #NO_FLOW}. */
    public int classifyInbound(DirectBuffer buffer, int offset, int length) {
        return classify(buffer, offset, length, true);
    }

    /** The flow of a frame the VNIC sends, or {@link #NO_FLOW}. */
    public int classifyOutbound(DirectBuffer buffer, int offset, int length) {
        return classify(buffer, offset, length, false);
    }

    /**
     * The flow of the frame at {@code offset} of {@code length} bytes, or {@link #NO_FLOW}.
     *
     * @param inbound true for a frame toward the VNIC (local = destination)
     */
    public int classify(DirectBuffer b, int offset, int length, boolean inbound) {
        if (type == null) {
            return NO_FLOW;
        }
        long l2 = EtherHeader.parse(b, offset, length);
        if (l2 == EtherHeader.MALFORMED) {
            return NO_FLOW;
        }
        int etherType = EtherHeader.etherType(l2);
        boolean isV6;
        if (etherType == EtherHeader.ETHERTYPE_IPV4) {
            isV6 = false;
        } else if (etherType == EtherHeader.ETHERTYPE_IPV6) {
            isV6 = true;
        } else {
            return NO_FLOW;
        }
        int l3 = offset + EtherHeader.l3Offset(l2);
        int frameEnd = offset + length;
        int end = isV6 ? IpHeaders.ipv6End(b, l3, frameEnd) : IpHeaders.ipv4End(b, l3, frameEnd);
        long l4 = isV6 ? IpHeaders.ipv6(b, l3, end) : IpHeaders.ipv4(b, l3, end);
        if (l4 == IpHeaders.MALFORMED) {
            return NO_FLOW;
        }
        switch (type) {
            case LOCAL_IP:
                return matchAddress(b, l3, isV6, inbound);
            case REMOTE_IP:
                return matchAddress(b, l3, isV6, !inbound);
            case DSFIELD:
                return matchDsfield(IpHeaders.dsField(b, l3, isV6));
            case TRANSPORT:
                return byProtocol[IpHeaders.protocol(l4)];
            case TRANSPORT_LOCAL_PORT:
                return matchPort(b, l4, end, inbound);
            default:
                return matchPort(b, l4, end, !inbound);
        }
    }

    /** @param destination true to match the destination address, false the source */
    private int matchAddress(DirectBuffer b, int l3, boolean isV6, boolean destination) {
        if (!isV6) {
            int addr = EtherHeader.i32(b, l3 + (destination ? 16 : 12));
            for (int k = 0; k < v4Flow.length; k++) {
                if ((addr & v4Mask[k]) == v4Addr[k]) {
                    return v4Flow[k];
                }
            }
            return NO_FLOW;
        }
        int at = l3 + (destination ? 24 : 8);
        long hi = EtherHeader.i64(b, at);
        long lo = EtherHeader.i64(b, at + 8);
        for (int k = 0; k < v6Flow.length; k++) {
            if ((hi & v6MaskHigh[k]) == v6High[k] && (lo & v6MaskLow[k]) == v6Low[k]) {
                return v6Flow[k];
            }
        }
        return NO_FLOW;
    }

    private int matchDsfield(int ds) {
        for (int k = 0; k < order.length; k++) {
            if ((ds & dsMask[k]) == dsValue[k]) {
                return order[k];
            }
        }
        return NO_FLOW;
    }

    /** @param destination true to match the destination port, false the source */
    private int matchPort(DirectBuffer b, long l4, int end, boolean destination) {
        int protocol = IpHeaders.protocol(l4);
        if (IpHeaders.fragment(l4)
                || protocol != IpHeaders.PROTO_TCP && protocol != IpHeaders.PROTO_UDP && protocol != IpHeaders.PROTO_SCTP) {
            return NO_FLOW;
        }
        int at = IpHeaders.l4Offset(l4);
        if (end - at < 4) {
            return NO_FLOW;
        }
        int port = EtherHeader.u16(b, at + (destination ? 2 : 0));
        return byPort.get(protocol << 16 | port);
    }
}
