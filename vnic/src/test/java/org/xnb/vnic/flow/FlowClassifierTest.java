package org.xnb.vnic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.frame.EtherHeader;
import org.xnb.vnic.frame.FrameWriter;
import org.xnb.vnic.frame.IpHeaders;

/** Crafted frames, one per attribute and header case, in both directions. */
class FlowClassifierTest {
    static final long GUEST_MAC = 0x00163e000001L;
    static final long PEER_MAC = 0x00163e000002L;
    static final int GUEST_V4 = 0xC612_0002; // 198.18.0.2
    static final int PEER_V4 = 0xC613_0009; // 198.19.0.9
    static final long V6_NET = 0x2001_0db8_0000_0000L;

    private static FlowClassifier flows(String... attrs) {
        FlowTable t = new FlowTable("vnic0");
        for (int i = 0; i < attrs.length; i++) {
            t.add("f" + i, FlowSpec.parse(attrs[i]), FlowProperties.DEFAULTS);
        }
        return t.classifier();
    }

    /** An IPv4 TCP/UDP/SCTP frame from src:sport to dst:dport. */
    static UnsafeBuffer v4(int vid, int tos, int frag, int proto, int src, int dst, int sport, int dport) {
        return new FrameWriter().ether(PEER_MAC, GUEST_MAC, vid, EtherHeader.ETHERTYPE_IPV4)
                .ipv4(tos, frag, proto, src, dst, 8).u16(sport).u16(dport).u32(0).direct();
    }

    static UnsafeBuffer v6(int vid, int tc, int proto, long srcLo, long dstLo, int sport, int dport) {
        return new FrameWriter().ether(PEER_MAC, GUEST_MAC, vid, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(tc, proto, V6_NET, srcLo, V6_NET, dstLo, 8).u16(sport).u16(dport).u32(0).direct();
    }

    private static int in(FlowClassifier c, UnsafeBuffer f) {
        return c.classifyInbound(f, 0, f.capacity());
    }

    private static int out(FlowClassifier c, UnsafeBuffer f) {
        return c.classifyOutbound(f, 0, f.capacity());
    }

    @Test
    void localAndRemotePortSwapWithDirection() {
        FlowClassifier local = flows("transport=tcp,local_port=80");
        UnsafeBuffer toGuest = v4(-1, 0, 0, 6, PEER_V4, GUEST_V4, 40000, 80);
        UnsafeBuffer fromGuest = v4(-1, 0, 0, 6, GUEST_V4, PEER_V4, 80, 40000);
        assertEquals(0, in(local, toGuest), "inbound: local port = destination");
        assertEquals(-1, out(local, toGuest));
        assertEquals(0, out(local, fromGuest), "outbound: local port = source");
        assertEquals(-1, in(local, fromGuest));
        FlowClassifier remote = flows("transport=tcp,remote_port=80");
        assertEquals(0, out(remote, toGuest), "outbound: remote port = destination");
        assertEquals(0, in(remote, fromGuest));
        assertEquals(-1, in(remote, toGuest));
    }

    @Test
    void portFlowsNeedTheirProtocol() {
        FlowClassifier c = flows("transport=udp,local_port=53", "transport=sctp,local_port=53", "transport=tcp,local_port=53");
        assertEquals(0, in(c, v4(-1, 0, 0, IpHeaders.PROTO_UDP, PEER_V4, GUEST_V4, 1, 53)));
        assertEquals(1, in(c, v4(-1, 0, 0, IpHeaders.PROTO_SCTP, PEER_V4, GUEST_V4, 1, 53)));
        assertEquals(2, in(c, v6(-1, 0, IpHeaders.PROTO_TCP, 9, 2, 1, 53)));
        assertEquals(-1, in(c, v4(-1, 0, 0, 33, PEER_V4, GUEST_V4, 1, 53)), "DCCP has ports but is not a flowadm transport");
    }

    @Test
    void fragmentsNeverMatchPortFlowsButMatchTransportFlows() {
        FlowClassifier ports = flows("transport=udp,local_port=53");
        FlowClassifier proto = flows("transport=udp");
        UnsafeBuffer whole = v4(-1, 0, 0x4000, 17, PEER_V4, GUEST_V4, 1, 53); // DF set
        UnsafeBuffer first = v4(-1, 0, 0x2000, 17, PEER_V4, GUEST_V4, 1, 53); // MF, offset 0
        UnsafeBuffer later = v4(-1, 0, 0x0010, 17, PEER_V4, GUEST_V4, 1, 53); // offset 16*8
        assertEquals(0, in(ports, whole));
        assertEquals(-1, in(ports, first), "illumos: fragmented packets stay in the default flow");
        assertEquals(-1, in(ports, later));
        assertEquals(0, in(proto, first));
        assertEquals(0, in(proto, later));
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        FlowClassifier ports = flows("transport=tcp,local_port=22");
        FlowClassifier proto = flows("transport=tcp");
        // hop-by-hop (8 bytes) -> destination options (16 bytes) -> TCP
        UnsafeBuffer f = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_HOPOPTS, V6_NET, 9, V6_NET, 2, 32)
                .u8(IpHeaders.PROTO_DSTOPTS).u8(0).zeros(6)
                .u8(IpHeaders.PROTO_TCP).u8(1).zeros(14)
                .u16(5555).u16(22).u32(0).direct();
        assertEquals(0, in(ports, f));
        assertEquals(0, in(proto, f));
        // first fragment (offset 0, M=1): protocol known, ports not used
        UnsafeBuffer frag = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_FRAGMENT, V6_NET, 9, V6_NET, 2, 16)
                .u8(IpHeaders.PROTO_TCP).u8(0).u16(1).u32(7).u16(5555).u16(22).u32(0).direct();
        assertEquals(-1, in(ports, frag));
        assertEquals(0, in(proto, frag));
    }

    @Test
    void tooManyOrTruncatedExtensionHeadersMatchNothing() {
        FlowClassifier proto = flows("transport=tcp");
        FrameWriter w = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_DSTOPTS, V6_NET, 9, V6_NET, 2, 8 * 9);
        for (int i = 0; i < IpHeaders.MAX_EXTENSION_HEADERS; i++) {
            w.u8(IpHeaders.PROTO_DSTOPTS).u8(0).zeros(6);
        }
        w.u8(IpHeaders.PROTO_TCP).u8(0).zeros(6).u32(0);
        UnsafeBuffer chain = w.direct();
        assertEquals(-1, in(proto, chain), "a chain longer than the bound is malformed");
        UnsafeBuffer cut = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_HOPOPTS, V6_NET, 9, V6_NET, 2, 32).u8(IpHeaders.PROTO_TCP).u8(3).zeros(6).direct();
        assertEquals(-1, in(proto, cut), "header length past the frame");
    }

    @Test
    void addressFlowsLongestPrefixWins() {
        FlowClassifier c = flows("local_ip=198.18.0.0/15", "local_ip=198.18.0.2", "local_ip=198.18.0.0/24",
                "local_ip=2001:db8::/32");
        assertEquals(1, in(c, v4(-1, 0, 0, 6, PEER_V4, GUEST_V4, 1, 2)));
        assertEquals(2, in(c, v4(-1, 0, 0, 6, PEER_V4, 0xC612_0003, 1, 2)));
        assertEquals(0, in(c, v4(-1, 0, 0, 6, PEER_V4, 0xC613_0003, 1, 2)));
        assertEquals(-1, in(c, v4(-1, 0, 0, 6, PEER_V4, 0x0A00_0001, 1, 2)));
        assertEquals(1, out(c, v4(-1, 0, 0, 6, GUEST_V4, PEER_V4, 1, 2)), "outbound: local = source");
        assertEquals(3, in(c, v6(-1, 0, 17, 1, 2, 1, 2)));
        FlowClassifier remote = flows("remote_ip=198.19.0.0/16");
        assertEquals(0, in(remote, v4(-1, 0, 0, 6, PEER_V4, GUEST_V4, 1, 2)), "inbound: remote = source");
        assertEquals(-1, out(remote, v4(-1, 0, 0, 6, PEER_V4, GUEST_V4, 1, 2)));
    }

    @Test
    void dsfieldOnTosAndTrafficClassNewestFirst() {
        FlowClassifier c = flows("dsfield=0xb8:0xfc", "dsfield=0x80:0x80");
        assertEquals(1, in(c, v4(-1, 0xb9, 0, 6, PEER_V4, GUEST_V4, 1, 2)), "the later flow is tried first");
        assertEquals(1, in(c, v6(-1, 0x81, 6, 1, 2, 1, 2)));
        FlowClassifier ef = flows("dsfield=0xb8:0xfc");
        assertEquals(0, in(ef, v4(-1, 0xbb, 0, 6, PEER_V4, GUEST_V4, 1, 2)), "ECN bits masked off");
        assertEquals(0, in(ef, v6(-1, 0xb8, 6, 1, 2, 1, 2)));
        assertEquals(-1, in(ef, v6(-1, 0x28, 6, 1, 2, 1, 2)));
    }

    @Test
    void vlanTaggedFramesAreClassifiedBehindTheTag() {
        FlowClassifier c = flows("transport=icmp", "transport=icmpv6");
        assertEquals(0, in(c, v4(42, 0, 0, IpHeaders.PROTO_ICMP, PEER_V4, GUEST_V4, 0x0800, 0)));
        assertEquals(1, in(c, v6(4094, 0, IpHeaders.PROTO_ICMPV6, 1, 2, 0x8000, 0)));
        UnsafeBuffer cutTag = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.TPID_8021Q).u16(5).direct();
        assertEquals(-1, in(c, cutTag));
    }

    @Test
    void nonIpShortAndMalformedFramesMatchNothing() {
        FlowClassifier c = flows("transport=udp");
        UnsafeBuffer arp = new FrameWriter().ether(-1L >>> 16, GUEST_MAC, -1, EtherHeader.ETHERTYPE_ARP).zeros(28).direct();
        assertEquals(-1, in(c, arp));
        UnsafeBuffer ok = v4(-1, 0, 0, 17, PEER_V4, GUEST_V4, 1, 2);
        assertEquals(-1, c.classifyInbound(ok, 0, 13));
        assertEquals(-1, c.classifyInbound(ok, 0, 14 + 19), "IPv4 header cut");
        UnsafeBuffer badIhl = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV4)
                .u8(0x44).zeros(19).direct();
        assertEquals(-1, in(c, badIhl), "IHL 4 is malformed");
        UnsafeBuffer v6InV4 = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV4)
                .ipv6(0, 17, 0, 1, 0, 2, 8).zeros(8).direct();
        assertEquals(-1, in(c, v6InV4), "version must match the EtherType");
        FlowClassifier ports = flows("transport=udp,local_port=2");
        assertEquals(0, in(ports, ok));
        assertEquals(-1, ports.classifyInbound(ok, 0, 14 + 20 + 3), "ports cut off");
    }

    @Test
    void ipv4OptionsShiftTheTransportHeader() {
        FlowClassifier ports = flows("transport=tcp,local_port=443");
        UnsafeBuffer f = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV4)
                .u8(0x47).u8(0).u16(28 + 8).u16(0).u16(0).u8(64).u8(6).u16(0).u32(PEER_V4).u32(GUEST_V4)
                .u32(0x01010101).u32(0x01010100) // 8 bytes of options
                .u16(1000).u16(443).u32(0).direct();
        assertEquals(0, in(ports, f));
    }

    @Test
    void ethernetPaddingIsNotThePacket() {
        FlowClassifier ports = flows("transport=udp,local_port=53");
        FlowClassifier proto = flows("transport=udp");
        // IPv4 total length 20: no UDP header, whatever the 26 bytes of padding hold
        UnsafeBuffer v4 = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV4)
                .ipv4(0, 0, IpHeaders.PROTO_UDP, PEER_V4, GUEST_V4, 0).u16(53).u16(53).zeros(22).direct();
        assertEquals(-1, in(ports, v4));
        assertEquals(0, in(proto, v4));
        UnsafeBuffer v6 = new FrameWriter().ether(PEER_MAC, GUEST_MAC, -1, EtherHeader.ETHERTYPE_IPV6)
                .ipv6(0, IpHeaders.PROTO_UDP, V6_NET, 9, V6_NET, 2, 2).u16(53).u16(53).u32(0).direct();
        assertEquals(-1, in(ports, v6), "payload length 2: half a UDP header");
        assertEquals(0, in(proto, v6));
    }

    @Test
    void emptyTableMatchesNothing() {
        assertEquals(-1, in(new FlowTable("x").classifier(), v4(-1, 0, 0, 6, PEER_V4, GUEST_V4, 1, 2)));
    }
}
