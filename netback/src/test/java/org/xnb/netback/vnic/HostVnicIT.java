package org.xnb.netback.vnic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.netback.link.HostBridges;
import org.xnb.netback.link.Links;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.lane.ThreadingMode;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetFixture;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.TestNames;

/**
 * VNICs made by command ({@link VnicManager#createVnic}) are real: two of them on one etherstub,
 * each TAP device moved into its own {@code xnb-*} namespace, carry pings and iperf3 between the
 * namespaces through the etherstub's switch and their lanes; {@code maxbw=100M} on the sender's
 * VNIC holds iperf3 to 95-105 Mbit/s; {@code protection=ip-nospoof} with another address stops the
 * pings and counts IPSPOOFED; delete-vnic removes the device. Root, iperf3, ping.
 */
class HostVnicIT {
    private static final int PORT = 5231;
    private static final Pattern BPS = Pattern.compile("\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    @RegisterExtension
    final NetFixture net = new NetFixture();

    /** No guests: the vif side of the manager. */
    private static final LinkAdmin NO_VIFS = new LinkAdmin() {
        @Override
        public List<VnicStatus> vnics() {
            return List.of();
        }

        @Override
        public List<LinkStatistics> statistics(String link) {
            throw new LinkAdminException("no link '" + link + "'");
        }

        @Override
        public List<LinkPropertyStatus> properties(String link) {
            throw new LinkAdminException("no link '" + link + "'");
        }

        @Override
        public void setProperties(String link, String assignments, boolean temporary) {
            throw new LinkAdminException("no link '" + link + "'");
        }

        @Override
        public void resetProperty(String link, String name) {
            throw new LinkAdminException("no link '" + link + "'");
        }
    };

    private static double receivedBps(String json) {
        int at = json.lastIndexOf("\"sum_received\"");
        Matcher m = BPS.matcher(json);
        assertTrue(at >= 0 && m.find(at), "no sum_received in iperf3 output:\n" + json);
        return Double.parseDouble(m.group(1));
    }

    private double iperf(NetNs from, NetNs to, String toIp) {
        net.start(to, "iperf3", "-s", "-1", "-B", toIp, "-p", Integer.toString(PORT));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> to.exec(
                Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + PORT).stdout().contains(":" + PORT));
        BackgroundProcess client = net.start(from, "iperf3", "-c", toIp, "-p", Integer.toString(PORT), "-t", "4", "-J");
        CommandResult r = client.await(Duration.ofSeconds(40));
        assertEquals(0, r.exitCode(), r.describe() + "\n" + r.stdout());
        return receivedBps(r.stdout());
    }

    @Test
    void twoVnicsOnAnEtherstubCarryTrafficMaxbwLimitsItProtectionDrops() throws Exception {
        RequireRoot.requireTool("iperf3", "iperf3");
        RequireRoot.requireTool("ping", "iputils-ping");
        Links links = net.track(Links.open(List.of(), HostBridges.NONE));
        CountersFile counters = net.track(CountersFile.inMemory(64));
        LaneScheduler lanes = net.track(new LaneScheduler(ThreadingMode.DEDICATED, counters, PollingPolicy.DEFAULTS,
                SystemNanoClock.INSTANCE, 1));
        VnicManager manager = net.track(new VnicManager(links, lanes, NO_VIFS, new Random(7)));
        NetNs a = net.namespace("hva");
        NetNs b = net.namespace("hvb");
        String va = TestNames.iface();
        String vb = TestNames.iface();

        manager.createEtherstub("stub0");
        VnicStatus sa = manager.createVnic(va, "stub0", null, 0, null);
        manager.createVnic(vb, "stub0", "00:16:3e:00:00:42", 0, "priority=high");
        assertTrue(sa.mac().startsWith("00:16:3e:"), sa.mac());
        assertEquals(List.of(va, vb).stream().sorted().toList(), manager.etherstubs().get(0).vnics());
        LinkAdminException inUse = assertThrows(LinkAdminException.class, () -> manager.deleteEtherstub("stub0"));
        assertTrue(inUse.getMessage().startsWith("etherstub 'stub0' is in use by VNIC"), inUse.getMessage());

        // dom0 may move a VNIC into a namespace: the TAP fd keeps working
        org.xnb.vnic.tap.IpLink.of(va).moveTo(a.name()).up();
        org.xnb.vnic.tap.IpLink.of(vb).moveTo(b.name()).up();
        a.addAddress(va, "198.18.46.1/24");
        b.addAddress(vb, "198.18.46.2/24");
        assertEquals(sa.mac(), a.link(va).readMac());
        assertEquals("00:16:3e:00:00:42", b.link(vb).readMac());

        String ping = a.execOk("ping", "-c", "3", "-i", "0.2", "-W", "5", "198.18.46.2");
        assertTrue(ping.contains("3 received"), ping);
        LinkStatistics s = manager.statistics(va).get(0);
        assertTrue(s.ipkts() >= 3 && s.opkts() >= 3, "the lane counted the pings: " + s);

        double unlimited = iperf(a, b, "198.18.46.2");
        manager.setProperties(va, "maxbw=100M", false);
        assertEquals("100", manager.properties(va).get(0).value());
        double limited = iperf(a, b, "198.18.46.2");
        System.out.printf("VNIC -> etherstub -> VNIC: iperf3 %.1f Mbit/s unlimited, %.1f Mbit/s with maxbw=100M%n",
                unlimited / 1e6, limited / 1e6);
        assertTrue(limited > 95e6 && limited < 105e6, "maxbw=100M gave " + limited / 1e6 + " Mbit/s");
        assertTrue(unlimited > 150e6, "unlimited only " + unlimited / 1e6 + " Mbit/s");
        manager.resetProperty(va, "maxbw");

        manager.setProperties(va, "protection=ip-nospoof,allowed-ips=198.18.46.9", false);
        CommandResult blocked = a.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.2", "-W", "1",
                "198.18.46.2");
        assertFalse(blocked.ok(), blocked.stdout());
        assertTrue(manager.statistics(va).get(0).ipspoofed() > 0, manager.statistics(va).toString());
        manager.resetProperty(va, "protection");
        manager.resetProperty(va, "allowed-ips");
        assertTrue(a.execOk("ping", "-c", "1", "-W", "5", "198.18.46.2").contains("1 received"));

        manager.deleteVnic(va);
        assertFalse(a.exec(Duration.ofSeconds(5), "ip", "link", "show", "dev", va).ok(), "the TAP device is gone");
        LinkAdminException e = assertThrows(LinkAdminException.class, () -> manager.deleteVnic(va));
        assertTrue(e.getMessage().startsWith("no VNIC '" + va + "'"), e.getMessage());
    }

    @Test
    void vnicsWithAVlanIdReachOnlyTheirVlan() throws Exception {
        RequireRoot.requireTool("ping", "iputils-ping");
        Links links = net.track(Links.open(List.of(), HostBridges.NONE));
        CountersFile counters = net.track(CountersFile.inMemory(64));
        LaneScheduler lanes = net.track(new LaneScheduler(ThreadingMode.SHARED, counters, PollingPolicy.DEFAULTS,
                SystemNanoClock.INSTANCE, 1));
        VnicManager manager = net.track(new VnicManager(links, lanes, NO_VIFS, new Random(8)));
        manager.createEtherstub("stub0");
        NetNs[] ns = {net.namespace("vla"), net.namespace("vlb"), net.namespace("vlc"), net.namespace("vld")};
        int[] vids = {5, 5, 6, 0};
        String[] names = new String[4];
        for (int i = 0; i < 4; i++) {
            names[i] = TestNames.iface();
            manager.createVnic(names[i], "stub0", null, vids[i], null);
            assertEquals(vids[i], manager.vid(names[i]));
            org.xnb.vnic.tap.IpLink.of(names[i]).moveTo(ns[i].name()).up();
            ns[i].addAddress(names[i], "198.18.47." + (i + 1) + "/24");
        }
        // the same VLAN: tagged on the link, untagged at each end
        String ping = ns[0].execOk("ping", "-c", "2", "-i", "0.2", "-W", "5", "198.18.47.2");
        assertTrue(ping.contains("2 received"), ping);
        // another VLAN and an untagged VNIC: not reached
        assertFalse(ns[0].exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "198.18.47.3").ok());
        assertFalse(ns[0].exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "198.18.47.4").ok());
        assertEquals(0, manager.statistics(names[2]).get(0).opkts(), "VLAN 6 got nothing of VLAN 5's");
        LinkAdminException e = assertThrows(LinkAdminException.class,
                () -> manager.createVnic(TestNames.iface(), "stub0", null, 4095, null));
        assertTrue(e.getMessage().contains("a VLAN id is 1-4094"), e.getMessage());
    }
}
