package org.xnb.tools.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pcap written through a capture session is read by tshark, frame by frame, with the right addresses. */
class PcapTsharkIT {
    @TempDir
    Path dir;

    static String tshark(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            fail("tshark is not installed: apt-get install tshark (bin/test installs it when run as root)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("tshark " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): " + out);
        }
        return out;
    }

    @Test
    void tsharkReadsArpAndIcmpFramesIncludingATruncatedOne() throws Exception {
        Path file = dir.resolve("snoop.pcap");
        UnsafeBuffer arp = TestFrames.arpRequest();
        UnsafeBuffer echo1 = TestFrames.icmpEcho(1, 56);
        UnsafeBuffer echo2 = TestFrames.icmpEcho(2, 1000);
        try (CaptureSession s = new CaptureSession(file, 128, 64, 0)) {
            s.capture(arp, 0, arp.capacity());
            s.capture(echo1, 0, echo1.capacity());
            s.capture(echo2, 0, echo2.capacity());
        }
        String out = tshark("-r", file.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.len", "-e", "frame.cap_len", "-e", "eth.src", "-e", "eth.dst",
                "-e", "arp.opcode", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4",
                "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e", "icmp.seq");
        assertEquals(""
                + "42|42|02:00:00:00:00:01|ff:ff:ff:ff:ff:ff|1|198.18.0.1|198.18.0.2||||\n"
                + "98|98|02:00:00:00:00:01|02:00:00:00:00:02||||198.18.0.1|198.18.0.2|8|1\n"
                + "1042|128|02:00:00:00:00:01|02:00:00:00:00:02||||198.18.0.1|198.18.0.2|8|2\n", out);
        // the summary view too: ARP and a ping request, as an operator would see them
        String summary = tshark("-r", file.toString());
        assertEquals(3, summary.lines().count(), summary);
        List<String> lines = summary.lines().toList();
        assertEquals(true, lines.get(0).contains("Who has 198.18.0.2? Tell 198.18.0.1"), summary);
        assertEquals(true, lines.get(1).contains("Echo (ping) request"), summary);
    }
}
