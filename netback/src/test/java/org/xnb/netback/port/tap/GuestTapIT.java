package org.xnb.netback.port.tap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.grant.netif.NetRxFlags;
import org.xnb.grant.netif.NetTxFlags;
import org.xnb.grant.netif.Netif;
import org.xnb.netback.BackendQueue;
import org.xnb.netback.Clock;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.netback.VifFeatures;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;

/**
 * The port with the real engines: a mock netfront on the harness hypervisor, its queue's
 * TxEngine writing through {@link TapUplinkSink} into a TAP device in a namespace, and
 * {@link TapUplinkReader} feeding that device's frames to the queue's RxEngine. The guest's frame
 * carries only the pseudo-header sum with {@code NETTXF_csum_blank}, as Linux netfront sends it.
 */
class GuestTapIT {
    private static final String GUEST_MAC = "02:00:00:00:00:01"; // TestFrames' source
    private static final String HOST_MAC = "02:00:00:00:00:02";  // TestFrames' destination
    private static final String GUEST_IP = "198.18.0.1";         // TestFrames' addresses
    private static final String HOST_IP = "198.18.0.2";
    private static final int HOST_PORT = 5201;                   // TestFrames' UDP destination port

    @RegisterExtension
    final NetFixture net = new NetFixture();

    private HarnessHost host;
    private MockNetfront front;
    private BackendQueue back;
    private TapDevice tap;
    private NetNs ns;

    @BeforeEach
    void setUp() {
        RequireRoot.requireTool("python3", "python3");
        host = new HarnessHost();
        front = new MockNetfront(host, HarnessHost.GUEST_A);
        back = new BackendQueue(host, front, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
        tap = net.tap(TapConfig.builder().standardOffloads(true));
        ns = net.namespace("gtap");
        tap.link().moveTo(ns.name()).mtu(1500).mac(HOST_MAC).up();
        ns.addAddress(tap.name(), HOST_IP + "/24");
        ns.execOk("ip", "neigh", "replace", GUEST_IP, "lladdr", GUEST_MAC, "dev", tap.name(), "nud", "permanent");
    }

    @AfterEach
    void tearDown() {
        if (back != null) {
            back.close();
        }
        if (front != null) {
            front.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aGuestsBlankChecksumUdpDatagramIsDeliveredToASocketInTheNamespace() {
        byte[] payload = "from the guest, checksum left to the backend's offload".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = TestFrames.ipv4(TestFrames.UDP, 5, 0, payload.length, false, 1);
        System.arraycopy(payload, 0, frame, 42, payload.length);
        UnsafeBuffer f = new UnsafeBuffer(frame);
        f.putShort(14 + 10, (short) ~TestFrames.fold(TestFrames.sum(f, 14, 20)), ByteOrder.BIG_ENDIAN); // IP header checksum
        long pseudo = TestFrames.sum(f, 14 + 12, 8) + TestFrames.UDP + (frame.length - 34);
        f.putShort(34 + 6, (short) TestFrames.fold(pseudo), ByteOrder.BIG_ENDIAN); // only the pseudo-header, as netfront

        BackgroundProcess listener = net.start(ns, "python3", "-c", "import socket,sys\n"
                + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "s.bind(('" + HOST_IP + "'," + HOST_PORT + "))\n"
                + "s.settimeout(20)\n"
                + "sys.stdout.write(s.recv(65536).hex())\n");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                ns.exec(Duration.ofSeconds(5), "ss", "-Hlun", "sport = :" + HOST_PORT).stdout().contains(":" + HOST_PORT));
        long errors0 = udpCounter("UdpInCsumErrors");

        TapUplinkSink sink = new TapUplinkSink(tap.queue(0));
        back.sink = sink;
        int id = front.postPacket(frame, NetTxFlags.CSUM_BLANK, new int[] {frame.length})[0];
        front.pushTx();
        assertEquals(1, back.tx.doWork());

        List<int[]> rsp = front.txResponses();
        assertEquals(1, rsp.size());
        assertEquals(id, rsp.get(0)[0]);
        assertEquals(Netif.RSP_OKAY, rsp.get(0)[1]);
        assertEquals(1, sink.counters().frames);
        assertEquals(1, sink.counters().partialChecksumFrames);
        CommandResult r = listener.await(Duration.ofSeconds(25));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(HexFormat.of().formatHex(payload), r.stdout().trim(), "the socket got other bytes");
        assertEquals(errors0, udpCounter("UdpInCsumErrors"));
    }

    @Test
    void aDatagramFromTheNamespaceReachesTheGuestWithCsumBlankAndDataValidated() {
        TapUplinkReader reader = new TapUplinkReader(tap.queue(0), back.rx, 64);
        String text = "to the guest through the TAP reader";
        ns.execOk("python3", "-c", "import socket\n"
                + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "s.bind(('" + HOST_IP + "',0))\n"
                + "s.sendto(b'" + text + "',('" + GUEST_IP + "',7777))\n");
        byte[] want = text.getBytes(StandardCharsets.US_ASCII);
        front.postRx(64);
        byte[][] found = new byte[1][];
        int[] flags = new int[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            reader.doWork();
            back.rx.doWork();
            for (MockNetfront.RxSlot s : front.rxResponses()) {
                if (s.status() <= 0) {
                    continue;
                }
                byte[] data = front.rxData(s.id(), s.offset(), s.status());
                if (indexOf(data, want) >= 0) {
                    found[0] = data;
                    flags[0] = s.flags();
                }
            }
            return found[0] != null;
        });
        byte[] data = found[0];
        assertEquals(0x0800, ((data[12] & 0xff) << 8) | (data[13] & 0xff));
        assertEquals(TestFrames.UDP, data[14 + 9]);
        assertEquals(NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED,
                flags[0] & (NetRxFlags.CSUM_BLANK | NetRxFlags.DATA_VALIDATED),
                "a partial checksum from dom0 must reach netfront as csum_blank | data_validated");
        assertTrue(reader.counters().partialChecksumFrames >= 1);
    }

    private long udpCounter(String name) {
        String out = ns.execOk("nstat", "-asz", name);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
