package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.harness.netfront.tap.NetfrontGuest;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.StaleSweep;
import org.xnb.vnic.testing.TestNames;
import org.xnb.vnic.stat.LaneCounter;

/**
 * Two TAP-backed guests with two netfront queues each (a multi-queue TAP in each guest's
 * namespace, a pump per queue, as {@code harness up --tap --queues 2} runs them) and netback
 * offering two: iperf3 with 16 TCP connections from A to B is spread by A's kernel over A's two
 * queues (its TAP's flow hash, as Linux netfront's {@code xennet_select_queue}) and by netback
 * over B's two (the flow hash of {@code QueueSelector}), so both lanes of both vifs carry
 * packets, and TCP delivers everything.
 */
class VifMultiQueueIperfIT {
    private static final int A = 8;
    private static final int B = 9;
    private static final int QUEUES = 2;
    private static final int PORT = 5201;

    @TempDir
    Path dir;

    @Test
    void iperf3FlowsSpreadOverBothLanesOfBothVifs() throws Exception {
        RequireRoot.check();
        RequireRoot.requireTool("iperf3", "iperf3");
        StaleSweep.oncePerJvm();
        List<AutoCloseable> opened = new ArrayList<>();
        VifRig rig = new VifRig(dir);
        try {
            rig.maxQueues = QUEUES;
            rig.startService();
            try (HarnessDirectory h = HarnessDirectory.open(rig.host.dir)) {
                for (int g : new int[] {A, B}) {
                    h.createDomain(g, QUEUES * NetfrontDevice.PAGES, QUEUES * NetfrontDevice.GRANTS, HarnessHost.PORTS);
                }
            }
            NetNs nsA = NetNs.create("mqa");
            opened.add(nsA);
            NetNs nsB = NetNs.create("mqb");
            opened.add(nsB);
            for (int g : new int[] {A, B}) {
                rig.server.introduceDomain(g);
                rig.toolstack.addVif(g, 0, Map.of());
                NetfrontGuest guest = NetfrontGuest.startIn(rig.host.dir, rig.server.socketPath(), g, 0,
                        (g == A ? nsA : nsB).name(), TestNames.iface(), QUEUES);
                opened.add(guest);
                guest.awaitConnected(VifRig.WAIT);
                await().atMost(VifRig.WAIT).until(() -> "4".equals(rig.toolstack.backendState(g, 0))
                        && rig.vif(g) != null);
                assertEquals(QUEUES, rig.vif(g).queueCount());
                assertEquals(Integer.toString(QUEUES),
                        rig.toolstack.read("/local/domain/" + g + "/device/vif/0/multi-queue-num-queues"));
            }
            opened.add(nsB.start("iperf3", "-s", "-B", GuestNamespace.ipv4(B), "-p", Integer.toString(PORT)));
            await().atMost(VifRig.WAIT).until(() -> nsB.exec(java.time.Duration.ofSeconds(5),
                    "ss", "-Hltn", "sport = :" + PORT).stdout().contains(":" + PORT));
            nsA.execOk("ping", "-c", "1", "-W", "5", GuestNamespace.ipv4(B));
            Vif va = rig.vif(A);
            Vif vb = rig.vif(B);
            long[] aIn = lanes(va, LaneCounter.IPKTS);
            long[] bOut = lanes(vb, LaneCounter.OPKTS);
            try (BackgroundProcess client = nsA.start("iperf3", "-c", GuestNamespace.ipv4(B), "-p",
                    Integer.toString(PORT), "-t", "3", "-P", "16", "-J")) {
                CommandResult r = client.await(java.time.Duration.ofSeconds(40));
                assertTrue(r.ok() && !r.stdout().contains("\"error\""), () -> "iperf3 failed: " + r.describe());
                long received = VifGuestRulesIperfIT.bytesOf(r.stdout(), "sum_received");
                System.out.printf("VifMultiQueueIperfIT: 16 connections, %d bytes received; A's lanes took %s, "
                        + "B's lanes delivered %s%n", received, java.util.Arrays.toString(delta(lanes(va,
                        LaneCounter.IPKTS), aIn)), java.util.Arrays.toString(delta(lanes(vb, LaneCounter.OPKTS), bOut)));
                assertTrue(received > 1_000_000, "iperf3 moved only " + received + " bytes");
            }
            long[] aTook = delta(lanes(va, LaneCounter.IPKTS), aIn);
            long[] bGave = delta(lanes(vb, LaneCounter.OPKTS), bOut);
            for (int q = 0; q < QUEUES; q++) {
                assertTrue(aTook[q] > 100, "A's lane " + q + " took " + aTook[q] + " frames from the guest");
                assertTrue(bGave[q] > 100, "B's lane " + q + " delivered " + bGave[q] + " frames to the guest");
            }
            assertTrue(!va.disabled() && !vb.disabled());
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    System.err.println("VifMultiQueueIperfIT cleanup: " + e);
                }
            }
            rig.close();
        }
    }

    private static long[] lanes(Vif v, LaneCounter c) {
        long[] out = new long[v.queueCount()];
        for (int q = 0; q < out.length; q++) {
            out[q] = v.lane(q).counters().get(c);
        }
        return out;
    }

    private static long[] delta(long[] now, long[] before) {
        long[] d = new long[now.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = now[i] - before[i];
        }
        return d;
    }
}
