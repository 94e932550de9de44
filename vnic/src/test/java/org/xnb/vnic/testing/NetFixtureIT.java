package org.xnb.vnic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;

/** The fixture itself: clean-up on failure, timeouts, and a sweep that only takes what is stale. */
class NetFixtureIT {

    /** A pid that belonged to a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " reused already");
        return pid;
    }

    @Test
    void everythingGoesAwayWhenTheTestBodyThrows() throws Exception {
        RequireRoot.check();
        String[] ns = new String[1];
        String[] tap = new String[1];
        Process[] proc = new Process[1];
        NetFixture net = new NetFixture();
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> {
            try (net) {
                NetNs n = net.namespace("fixit");
                ns[0] = n.name();
                TapDevice t = net.tap(TapConfig.builder().persistent(true));
                tap[0] = t.name();
                proc[0] = net.start(n, "sleep", "300").process();
                assertEquals(3, net.size());
                throw new IllegalStateException("the test failed");
            }
        });
        assertEquals("the test failed", boom.getMessage());
        assertEquals(0, net.size());
        assertFalse(NetNs.exists(ns[0]), "namespace left behind");
        assertFalse(Files.exists(Path.of("/sys/class/net", tap[0])), "persistent TAP left behind");
        assertTrue(proc[0].waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "process left running");
    }

    @Test
    void closeRunsEveryCleanupEvenWhenOneFailsAndReportsTheFailure() throws Exception {
        RequireRoot.check();
        NetFixture net = new NetFixture();
        NetNs ns = net.namespace("fixfail");
        RuntimeException broken = new RuntimeException("cannot clean this");
        net.track(() -> {
            throw broken;
        });
        RuntimeException e = assertThrows(RuntimeException.class, net::close);
        assertSame(broken, e);
        assertFalse(NetNs.exists(ns.name()), "the namespace registered before the failing resource was not deleted");
    }

    @Test
    void commandsInsideRunInTheNamespaceAndTimeOut() throws Exception {
        try (NetFixture net = new NetFixture()) {
            NetNs ns = net.namespace("fixexec");
            // a fresh namespace has only lo
            assertEquals("lo", ns.execOk("ls", "/sys/class/net").strip());
            CommandResult r = ns.exec(Duration.ofMillis(300), "sleep", "30");
            assertTrue(r.timedOut(), r.describe());
            assertEquals(2, ns.exec(Duration.ofSeconds(5), "sh", "-c", "exit 2").exitCode());
            assertThrows(IllegalArgumentException.class, () -> ns.addAddress("lo", "10.0.0.1/8"));
        }
    }

    @Test
    void sweepRemovesOnlyStaleFixtureObjects() throws Exception {
        RequireRoot.check();
        long dead = deadPid();
        String staleNs = "xnb-sweep-" + dead + "-1";
        String liveNs = TestNames.namespace("sweep");      // our own pid: alive
        String foreignNs = "xnbsweep-" + dead + "-1";       // not the fixture's pattern
        String staleLink = "xt" + dead + "x1";
        try {
            for (String n : List.of(staleNs, liveNs, foreignNs)) {
                CommandResult r = Commands.run(Duration.ofSeconds(10), "ip", "netns", "add", n);
                assertTrue(r.ok(), r.describe());
            }
            try (TapDevice t = TapDevice.open(TapConfig.builder().name(staleLink).persistent(true).build())) {
                assertEquals(staleLink, t.name());
            }
            List<String> removed = StaleSweep.sweep();
            assertTrue(removed.contains("netns " + staleNs), removed.toString());
            assertTrue(removed.contains("link " + staleLink), removed.toString());
            assertFalse(NetNs.exists(staleNs));
            assertFalse(Files.exists(Path.of("/sys/class/net", staleLink)));
            assertTrue(NetNs.exists(liveNs), "a live run's namespace was swept");
            assertTrue(NetNs.exists(foreignNs), "a namespace the fixture did not name was swept");
            assertThrows(IllegalArgumentException.class, () -> NetNs.delete(foreignNs));
        } finally {
            for (String n : List.of(staleNs, liveNs, foreignNs)) {
                Commands.run(Duration.ofSeconds(10), "ip", "netns", "delete", n);
            }
            Commands.run(Duration.ofSeconds(10), "ip", "link", "delete", "dev", staleLink);
        }
    }
}
