package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.EtherFrames;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.TestAddresses;

/**
 * A made-up neighbour played in Java on the TAP fd: {@code ping -c 3} runs inside a namespace
 * that holds the TAP interface, and this test answers the ARP request and each echo request by
 * writing hand-built replies (checksums computed here) to the fd.
 */
class TapPingIT {
    private static final String OUR_MAC = "02:00:5e:18:01:02";

    @RegisterExtension
    final NetFixture net = new NetFixture();

    /**
     * @param vectored false: header and frame in one buffer, read(2)/write(2); true: header and
     *     frame in separate buffers, readv(2)/writev(2)
     */
    @ParameterizedTest(name = "vectored={0}")
    @ValueSource(booleans = {false, true})
    void pingFromANamespaceIsAnsweredThroughTheFd(boolean vectored) {
        RequireRoot.requireTool("ping", "iputils-ping");
        TapDevice tap = net.tap(TapConfig.builder());
        NetNs ns = net.namespace("tapit");
        tap.link().moveTo(ns.name()).up();
        String local = TestAddresses.host(1, 1);
        String neighbour = TestAddresses.host(1, 2);
        ns.addAddress(tap.name(), local + "/24");

        BackgroundProcess ping = net.start(ns, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "5", neighbour);

        TapQueue q = tap.queue(0);
        int hdr = q.vnetHeaderSize();
        UnsafeBuffer in = new UnsafeBuffer(BufferUtil.allocateDirectAligned(65536, 64));
        UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(65536, 64));
        // vectored: headers in their own small buffers, frames at offset 0 of in/out
        UnsafeBuffer inHeader = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        UnsafeBuffer outHeader = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        UnsafeBuffer header = vectored ? inHeader : in;
        int frame = vectored ? 0 : hdr;
        byte[] mac = EtherFrames.mac(OUR_MAC);
        int target = EtherFrames.ipv4(neighbour);
        int arpReplies = 0;
        int echoReplies = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (echoReplies < 3 && System.nanoTime() < deadline && ping.isAlive()) {
            if (!q.awaitReadable(200)) {
                continue;
            }
            int n = vectored
                    ? q.readv(inHeader.addressOffset(), in.addressOffset(), in.capacity())
                    : q.read(in.addressOffset(), in.capacity());
            if (n == 0) {
                continue;
            }
            // no offloads were asked for: the kernel must hand us whole, checksummed frames
            assertEquals(VirtioNetHeader.GSO_NONE, VirtioNetHeader.gsoType(header, 0), VirtioNetHeader.toString(header, 0, hdr));
            int frameLength = n - hdr;
            int replyLength;
            if (EtherFrames.isArpRequestFor(in, frame, frameLength, target)) {
                replyLength = EtherFrames.writeArpReply(in, frame, out, frame, mac);
                arpReplies++;
            } else if (EtherFrames.isEchoRequestTo(in, frame, frameLength, target)) {
                replyLength = EtherFrames.writeEchoReply(in, frame, frameLength, out, frame, mac);
                echoReplies++;
            } else {
                continue; // IPv6 router solicitations, MLD reports: not for us
            }
            if (vectored) {
                VirtioNetHeader.clear(outHeader, 0, hdr);
                assertEquals(hdr + replyLength, q.writev(outHeader.addressOffset(), out.addressOffset(), replyLength));
            } else {
                VirtioNetHeader.clear(out, 0, hdr);
                assertEquals(hdr + replyLength, q.write(out.addressOffset(), hdr + replyLength));
            }
        }
        var result = ping.await(Duration.ofSeconds(15));
        assertTrue(arpReplies >= 1, "never saw an ARP request for " + neighbour);
        assertEquals(3, echoReplies, "echo requests answered; ping said: " + result.stdout());
        assertEquals(0, result.exitCode(), result.describe() + "\n" + result.stdout());
        assertTrue(result.stdout().contains("3 packets transmitted, 3 received, 0% packet loss"), result.stdout());
    }
}
