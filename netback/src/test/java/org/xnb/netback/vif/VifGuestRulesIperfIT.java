package org.xnb.netback.vif;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.hypervisor.HarnessAccount;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.PortState;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.harness.netfront.tap.NetfrontGuest;
import org.xnb.netback.port.MacAddress;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.testing.BackgroundProcess;
import org.xnb.vnic.testing.NetNs;
import org.xnb.vnic.testing.RequireRoot;
import org.xnb.vnic.testing.StaleSweep;
import org.xnb.vnic.testing.TestNames;

/**
 * REFERENCE.md section 6 with real TCP as the bystanders' traffic: one netback
 * ({@link NetbackService} on the harness, as {@link VifRig} runs it) with two TAP-backed guests
 * ({@link NetfrontGuest}: a netfront whose kernel is a TAP {@code eth0} in a namespace of its own)
 * and, per case, a fresh mock guest C breaking one rule ({@link Misbehaviour}) while an iperf3
 * TCP client in A's namespace sends to the server in B's for 3 s. For each: C ends as the rule
 * says ({@link RuleOutcome}), netback and both TAP guests' vifs stay connected, iperf3 exits 0
 * with every byte sent received (more than 1 MB), and once C's frontend closes the harness's
 * account shows nothing of C pinned, mapped or bound.
 */
class VifGuestRulesIperfIT {
    /** The TAP guests: NetfrontDevice needs more memory than HarnessHost's guests have. */
    private static final int A = 8;
    private static final int B = 9;
    /** Each case's C is a new domain from here on, so no case sees a previous one's leftovers. */
    private static final int FIRST_C = 20;
    private static final int IPERF_SECONDS = 3;
    private static final long MIN_BYTES = 1_000_000;
    private static final int PORT = 5201;
    private static final Pattern BYTES = Pattern.compile("\"bytes\"\\s*:\\s*(\\d+)");

    @TempDir
    static Path dir;
    private static VifRig rig;
    private static final List<AutoCloseable> opened = new ArrayList<>();
    private static NetNs nsA;
    private static NetNs nsB;
    private static NetfrontGuest guestA;
    private static NetfrontGuest guestB;
    private static int nextC = FIRST_C;
    /** Most bytes a TCP connection from A to B can have sent but not yet read. */
    private static long inFlightBound;
    private LogCapture log;

    @BeforeAll
    static void up() throws Exception {
        RequireRoot.check();
        RequireRoot.requireTool("iperf3", "iperf3");
        StaleSweep.oncePerJvm();
        try {
            rig = new VifRig(dir);
            rig.startService();
            try (HarnessDirectory h = HarnessDirectory.open(rig.host.dir)) {
                for (int g : new int[] {A, B}) {
                    h.createDomain(g, NetfrontDevice.PAGES, NetfrontDevice.GRANTS, HarnessHost.PORTS);
                }
                for (int i = 0; i < Misbehaviour.values().length + RingAttack.values().length; i++) {
                    h.createDomain(FIRST_C + i, HarnessHost.PAGES, HarnessHost.GRANTS, HarnessHost.PORTS);
                }
            }
            nsA = open(NetNs.create("rulesa"));
            nsB = open(NetNs.create("rulesb"));
            guestA = open(tapGuest(A, nsA));
            guestB = open(tapGuest(B, nsB));
            open(nsB.start("iperf3", "-s", "-B", GuestNamespace.ipv4(B), "-p", Integer.toString(PORT)));
            await().atMost(VifRig.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> nsB.exec(Duration.ofSeconds(5),
                    "ss", "-Hltn", "sport = :" + PORT).stdout().contains(":" + PORT));
            // the path through netback's switch works before any case starts
            nsA.execOk("ping", "-c", "1", "-W", "5", GuestNamespace.ipv4(B));
            inFlightBound = sysctlMax(nsA, "tcp_wmem") + sysctlMax(nsB, "tcp_rmem");
        } catch (Throwable t) {
            down();
            throw t;
        }
    }

    /** The max of net.ipv4.{@code name} (min default max) as seen in {@code ns}. */
    private static long sysctlMax(NetNs ns, String name) {
        String[] v = ns.execOk("cat", "/proc/sys/net/ipv4/" + name).strip().split("\\s+");
        return Long.parseLong(v[2]);
    }

    private static <T extends AutoCloseable> T open(T t) {
        opened.add(t);
        return t;
    }

    /** As the toolstack and a guest kernel: vif {@code domid}/0, its netfront pumping a TAP in {@code ns}. */
    private static NetfrontGuest tapGuest(int domid, NetNs ns) throws Exception {
        rig.server.introduceDomain(domid);
        rig.toolstack.addVif(domid, 0, Map.of());
        NetfrontGuest g = NetfrontGuest.startIn(rig.host.dir, rig.server.socketPath(), domid, 0, ns.name(),
                TestNames.iface());
        try {
            g.awaitConnected(VifRig.WAIT);
            await().atMost(VifRig.WAIT).until(() -> "4".equals(rig.toolstack.backendState(domid, 0))
                    && rig.vif(domid) != null);
            return g;
        } catch (Throwable t) {
            g.close();
            throw t;
        }
    }

    /** Closes in reverse: iperf3 server, guests (their TAPs), namespaces, netback and the harness. */
    @AfterAll
    static void down() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                System.err.println("VifGuestRulesIperfIT cleanup: " + e);
            }
        }
        opened.clear();
        if (rig != null) {
            rig.close();
            rig = null;
        }
    }

    @BeforeEach
    void setUp() {
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @ParameterizedTest
    @EnumSource(Misbehaviour.class)
    void theMisbehavingVifEndsAsTheRuleSaysWhileIperf3LosesNothing(Misbehaviour m) throws Exception {
        whileIperf3Runs(m.name(), (c, guestC, vc) -> {
            m.provoke(guestC);
            if (m.rule.fatal()) {
                RuleOutcome.assertDisabledAlone(rig, log, c, m.rule);
            } else {
                RuleOutcome.assertDroppedAndServing(guestC, vc, m.rule, log);
                assertNextFrameAnsweredOkay(guestC);
                assertEquals("4", rig.toolstack.backendState(c, 0));
            }
        });
    }

    /** XSA-39 and XSA-155: C ends disabled by a rule or with every request answered. */
    @ParameterizedTest
    @EnumSource(RingAttack.class)
    void anAttackOnTheTxRingEndsFatalOrAnsweredWhileIperf3LosesNothing(RingAttack attack) throws Exception {
        whileIperf3Runs(attack.name(), (c, guestC, vc) -> {
            attack.attack(guestC);
            attack.assertFatalOrAnswered(guestC, vc, log);
            assertEquals("4", rig.toolstack.backendState(c, 0));
        });
    }

    /** What C does, and what it must end as, while iperf3 runs. */
    private interface Case {
        void run(int domid, GuestDriver guestC, Vif vc) throws Exception;
    }

    /**
     * A fresh guest C; an iperf3 client A -> B; once TCP flows through the switch, {@code theCase};
     * then iperf3 delivered everything, A and B still connected and running, and once C's
     * frontend closes nothing of it is held.
     */
    private void whileIperf3Runs(String name, Case theCase) throws Exception {
        int c = nextC++;
        GuestDriver guestC = rig.addGuest(c, false);
        try {
            try (BackgroundProcess client = nsA.start("iperf3", "-c", GuestNamespace.ipv4(B), "-p",
                    Integer.toString(PORT), "-t", Integer.toString(IPERF_SECONDS), "-J")) {
                long before = rig.vif(B).rx().counters().packets;
                await().atMost(VifRig.WAIT).until(() -> rig.vif(B).rx().counters().packets > before + 100);
                theCase.run(c, guestC, rig.vif(c));
                CommandResult r = client.await(Duration.ofSeconds(IPERF_SECONDS + 30));
                assertIperfDeliveredEverything(name, r);
            }
            for (int g : new int[] {A, B}) {
                assertEquals("4", rig.toolstack.backendState(g, 0), "guest " + g);
                assertFalse(rig.vif(g).disabled(), "guest " + g);
                assertTrue(rig.vif(g).thread().isAlive(), "guest " + g);
            }
            rig.disconnect(c);
            rig.assertNothingHeldFor(c);
            assertNoPortConnectsTo(c);
        } finally {
            if (rig.vif(c) != null) { // a failed case: C must not stay in the switch for the next one
                rig.disconnect(c);
            }
        }
    }

    /** A dropping rule leaves C served: its next frame is answered OKAY. */
    private static void assertNextFrameAnsweredOkay(GuestDriver c) {
        int at = c.front.tx.requestProducer();
        c.send(c.frame(MacAddress.BROADCAST, 333, 4242));
        await().atMost(VifRig.WAIT).until(() -> c.front.tx.responseProducer() - at >= 1);
        List<int[]> rsp = c.front.txResponses();
        assertEquals(1, rsp.size());
        assertEquals(Netif.RSP_OKAY, rsp.get(0)[1]);
    }

    /**
     * iperf3 exited 0 without an error in its report, and TCP delivered what was sent: more than
     * {@link #MIN_BYTES} received, and no more missing than was still in flight when iperf3's
     * test ended (iperf3 3.x stops counting at the receiver on TEST_END, so the bytes still in
     * the sender's and receiver's socket buffers are counted as sent, not received; the kernel's
     * tcp_wmem/tcp_rmem maxima bound them).
     */
    private static void assertIperfDeliveredEverything(String name, CommandResult r) {
        String json = r.stdout();
        assertTrue(r.ok() && !json.contains("\"error\""), () -> "iperf3 failed: " + r.describe() + "\n" + json
                + "\n" + guestA.describe() + "\n" + guestB.describe());
        long sent = bytesOf(json, "sum_sent");
        long received = bytesOf(json, "sum_received");
        System.out.printf("%s: iperf3 sent %d bytes, received %d (%d in flight at the end), vif%d.0 Rx drops %d%n",
                name, sent, received, sent - received, B, rig.vif(B).rx().counters().droppedQueueFull);
        assertTrue(received > MIN_BYTES, "iperf3 moved only " + received + " bytes");
        assertTrue(received <= sent, "received " + received + " > sent " + sent);
        assertTrue(sent - received <= inFlightBound, "iperf3 TCP: sent " + sent + " received " + received
                + ", more missing than the socket buffers hold (" + inFlightBound + ")");
    }

    /** No backend port is still connected to C, and none of C's ports to anyone. */
    private static void assertNoPortConnectsTo(int c) {
        HarnessAccount account = rig.host.account;
        for (int p = 1; p < HarnessHost.PORTS; p++) {
            boolean backendToC = account.portState(HarnessHost.BACKEND, p) == PortState.INTERDOMAIN
                    && account.remoteDomid(HarnessHost.BACKEND, p) == c;
            assertFalse(backendToC, "backend port " + p + " still bound to guest " + c);
            assertFalse(account.portState(c, p) == PortState.INTERDOMAIN, "guest " + c + " port " + p + " still bound");
        }
    }

    /** {@code end.<sum>.bytes} of {@code iperf3 -J} output (the last such object is the one in "end"). */
    static long bytesOf(String json, String sum) {
        int at = json.lastIndexOf("\"" + sum + "\"");
        if (at < 0) {
            throw new AssertionError("no " + sum + " in iperf3 output:\n" + json);
        }
        Matcher m = BYTES.matcher(json);
        if (!m.find(at)) {
            throw new AssertionError("no bytes after " + sum + ":\n" + json);
        }
        return Long.parseLong(m.group(1));
    }
}
