package org.xnb.vnic.tap;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xnb.vnic.testing.NetNs;

/** Helpers for driving iperf3 in namespaces and reading its JSON report. */
final class Iperf3 {
    private static final Pattern BPS = Pattern.compile("\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private Iperf3() {
    }

    /** Waits until something listens on TCP {@code port} inside {@code ns}. */
    static void awaitListening(NetNs ns, int port) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> ns.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port));
    }

    /** The receiver's bits per second from {@code iperf3 -J} output ("end" -> "sum_received"). */
    static double receivedBitsPerSecond(String json) {
        int at = json.lastIndexOf("\"sum_received\"");
        if (at < 0) {
            throw new AssertionError("no sum_received in iperf3 output:\n" + json);
        }
        Matcher m = BPS.matcher(json);
        if (!m.find(at)) {
            throw new AssertionError("no bits_per_second after sum_received:\n" + json);
        }
        return Double.parseDouble(m.group(1));
    }
}
