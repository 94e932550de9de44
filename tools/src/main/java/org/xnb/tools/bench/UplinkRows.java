package org.xnb.tools.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xnb.netback.link.HostBridges;
import org.xnb.netback.link.LinkSpec;
import org.xnb.netback.link.Links;
import org.xnb.netback.port.tap.TapUplinkPort;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;

/**
 * The last rows of {@code xnb bench lanes}: one guest sending 64 B frames through a declared
 * etherstub link to another guest, and through a tap link's TAP uplink to dom0's kernel (the TAP
 * in a namespace of its own, {@code xnb-bl<pid>}, address 198.18.201.1/24; needs root; removed
 * after). The polling policy of the {@code xnb.lane.*} properties (else the defaults), DEDICATED lanes. The etherstub's receiver is a guest checking
 * every frame (window-limited, nothing may drop); dom0's kernel is counted by its own
 * {@code rx_packets} of the TAP, the sender filling its ring as fast as the backend frees it.
 */
final class UplinkRows {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    /** One row: what was measured, or why not (mpps NaN). */
    record Row(String path, double mpps, double backendPercent, String note) {
        double mbit() {
            return mpps * PairTraffic.FRAME_BYTES * 8;
        }
    }

    private UplinkRows() {
    }

    static Row etherstub(Path parent, double warmup, double seconds) throws Exception {
        try (Links links = Links.open(List.of(LinkSpec.etherstub("stub0")), HostBridges.NONE);
                LanesHost host = new LanesHost(parent, 2, PollingPolicy.fromSystemProperties(),
                        ThreadingMode.DEDICATED, 0, links, "stub0")) {
            List<BenchGuest> g = host.addGuests(new int[] {1, 2});
            try (PairTraffic p = new PairTraffic(g.get(0), g.get(1))) {
                Thread.sleep((long) (warmup * 1000));
                List<Thread> threads = host.laneThreads();
                long t0 = System.nanoTime();
                long c0 = LanesHost.cpuNanos(threads);
                long r0 = p.received();
                Thread.sleep((long) (seconds * 1000));
                long r1 = p.received();
                long c1 = LanesHost.cpuNanos(threads);
                long t1 = System.nanoTime();
                String v = p.stopAndDrain(10_000);
                return new Row("etherstub: guest -> guest", (r1 - r0) * 1e3 / (t1 - t0), 100.0 * (c1 - c0) / (t1 - t0),
                        v == null ? "ok (every frame checked by the receiving guest)" : "BAD: " + v);
            }
        }
    }

    /** The TAP row, or a row saying why it was skipped. */
    static Row tap(Path parent, double warmup, double seconds) throws Exception {
        String path = "TAP uplink: guest -> dom0";
        CommandResult id = Commands.run(IP_TIMEOUT, "id", "-u");
        if (!id.ok() || !id.stdout().trim().equals("0")) {
            return new Row(path, Double.NaN, Double.NaN, "skipped: needs root (a TAP device and a network namespace)");
        }
        long pid = ProcessHandle.current().pid();
        String ns = "xnb-bl" + pid;
        String ifname = "xnbbl" + pid % 10_000_000;
        CommandResult add = Commands.run(IP_TIMEOUT, "ip", "netns", "add", ns);
        if (!add.ok()) {
            return new Row(path, Double.NaN, Double.NaN, "skipped: cannot make namespace " + ns + ": " + add.describe());
        }
        try (Links links = Links.open(List.of(LinkSpec.parse("up0=tap,ifname=" + ifname + ",netns=" + ns
                + ",address=198.18.201.1/24")), HostBridges.NONE);
                LanesHost host = new LanesHost(parent, 1, PollingPolicy.fromSystemProperties(),
                        ThreadingMode.DEDICATED, 0, links, "up0")) {
            TapUplinkPort uplink = links.link("up0").uplink();
            long dst = tapMac(ns, ifname);
            List<BenchGuest> g = host.addGuests(new int[] {1});
            try (FloodTraffic f = new FloodTraffic(g.get(0), dst)) {
                Thread.sleep((long) (warmup * 1000));
                List<Thread> threads = new ArrayList<>(host.laneThreads());
                long k0 = kernelRx(ns, ifname);
                long t0 = System.nanoTime();
                long c0 = LanesHost.cpuNanos(threads) + threadCpu(uplink.threadId());
                long s0 = f.sent();
                long d0 = uplink.handOffDrops();
                Thread.sleep((long) (seconds * 1000));
                long c1 = LanesHost.cpuNanos(threads) + threadCpu(uplink.threadId());
                long t1 = System.nanoTime();
                long s1 = f.sent();
                long d1 = uplink.handOffDrops();
                long k1 = kernelRx(ns, ifname);
                String v = f.stop();
                double mpps = (k1 - k0) * 1e3 / (t1 - t0);
                String note = String.format("guest sent %.3f Mpps, hand-off drops %d, dom0 kernel rx_packets counted",
                        (s1 - s0) * 1e3 / (t1 - t0), d1 - d0);
                return new Row(path, mpps, 100.0 * (c1 - c0) / (t1 - t0), v == null ? note : "BAD: " + v + "; " + note);
            }
        } finally {
            Commands.run(IP_TIMEOUT, "ip", "netns", "del", ns);
        }
    }

    private static long threadCpu(long threadId) {
        return Math.max(0, ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId));
    }

    private static long tapMac(String ns, String ifname) {
        CommandResult r = Commands.run(IP_TIMEOUT, "ip", "-n", ns, "-o", "link", "show", "dev", ifname);
        Matcher m = ETHER.matcher(r.stdout());
        if (!r.ok() || !m.find()) {
            throw new IllegalStateException("no MAC for " + ifname + " in " + ns + ": " + r.describe());
        }
        return Long.parseLong(m.group(1).replace(":", ""), 16);
    }

    private static long kernelRx(String ns, String ifname) {
        CommandResult r = Commands.run(IP_TIMEOUT, "ip", "netns", "exec", ns, "cat",
                "/sys/class/net/" + ifname + "/statistics/rx_packets");
        if (!r.ok()) {
            throw new IllegalStateException("reading " + ifname + "'s rx_packets in " + ns + ": " + r.describe());
        }
        return Long.parseLong(r.stdout().trim());
    }
}
