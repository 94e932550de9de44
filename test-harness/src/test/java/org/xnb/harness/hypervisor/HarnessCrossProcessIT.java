package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.hypervisor.HarnessFixture.BACKEND;
import static org.xnb.harness.hypervisor.HarnessFixture.GUEST;

import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.EventChannel;
import org.xnb.grant.EventChannelException;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;

/** The backend in this JVM, the guest in another ({@link GuestProcessMain}), sharing one harness directory. */
class HarnessCrossProcessIT {
    private static final long TEN_SECONDS = 10_000_000_000L;

    @TempDir
    Path dir;

    private void createDomains() {
        try (HarnessDirectory h = HarnessDirectory.create(dir)) {
            h.createDomain(BACKEND, 0, 64, 32);
            h.createDomain(GUEST, 16, 64, 32);
        }
    }

    @Test
    void aGuestProcessGrantsAndNotifiesTheBackendMapsCopiesAndAnswers() throws Exception {
        createDomains();
        try (ChildJvm guest = new ChildJvm(GuestProcessMain.class, dir.resolve("guest.err"),
                "serve", dir.toString(), Integer.toString(GUEST), Integer.toString(BACKEND));
             HarnessHypervisor xen = new HarnessHypervisor(dir, BACKEND);
             HarnessAccount account = new HarnessAccount(dir)) {
            String[] ready = guest.nextLine(30).split(" ");
            assertEquals("ready", ready[0], String.join(" ", ready));
            int guestPort = Integer.parseInt(ready[1]);
            int[] refs = {Integer.parseInt(ready[2]), Integer.parseInt(ready[3]), Integer.parseInt(ready[4])};

            try (GrantTable table = xen.openGrantTable(); EventChannel events = xen.openEventChannel()) {
                GrantMapping m = table.map(GUEST, refs, 3, true);
                for (int i = 0; i < 3; i++) {
                    int frame = GuestProcessMain.FRAMES[i];
                    assertEquals(HarnessFixture.pattern(frame, 0), m.buffer().getByte(i * XenPage.SIZE));
                    assertEquals(HarnessFixture.pattern(frame, 4095), m.buffer().getByte(i * XenPage.SIZE + 4095));
                }

                UnsafeBuffer local = HarnessFixture.localPages(1);
                GrantCopyBatch batch = new GrantCopyBatch(4);
                batch.addFromGuest(GUEST, refs[1], 100, local.addressOffset(), 1500);
                assertEquals(0, table.copy(batch));
                assertEquals(HarnessFixture.pattern(GuestProcessMain.FRAMES[1], 100 + 1499), local.getByte(1499));

                int port = events.bindInterdomain(GUEST, guestPort);
                assertEquals(port, events.waitPending(0));
                events.unmask(port);

                m.buffer().putIntVolatile(2 * XenPage.SIZE, 41);
                guest.send("echo");
                events.notify(port);
                assertEquals(port, events.waitPending(TEN_SECONDS));
                events.unmask(port);
                assertEquals(42, m.buffer().getIntVolatile(2 * XenPage.SIZE + 4));
                assertEquals("echoed 41", guest.nextLine(10));

                assertEquals(3, account.pinnedGrants(GUEST));
                guest.send("end");
                assertEquals("end false", guest.nextLine(10));
                m.close();
                assertEquals(0, account.pinnedGrants(GUEST));
                assertEquals(0, account.mappedPages(BACKEND));
                guest.send("end");
                assertEquals("end true", guest.nextLine(10));

                guest.send("close");
                assertEquals("closed", guest.nextLine(10));
                assertEquals(PortState.UNBOUND, account.portState(BACKEND, port));
                assertEquals(PortState.FREE, account.portState(GUEST, guestPort));
                events.notify(port); // dropped, like Xen does for a closed remote end
            }
            assertEquals(0, account.boundPorts(BACKEND));
            guest.send("quit");
            assertEquals(0, guest.waitFor(10));
        }
    }

    @Test
    void aHundredThousandRoundTripsBetweenTwoProcessesLoseNoWakeUp() throws Exception {
        createDomains();
        int rounds = 100_000;
        try (ChildJvm guest = new ChildJvm(GuestProcessMain.class, dir.resolve("guest.err"),
                "pingpong", dir.toString(), Integer.toString(GUEST), Integer.toString(BACKEND), Integer.toString(rounds));
             HarnessHypervisor xen = new HarnessHypervisor(dir, BACKEND);
             HarnessAccount account = new HarnessAccount(dir);
             EventChannel events = xen.openEventChannel()) {
            String[] ready = guest.nextLine(30).split(" ");
            assertEquals("ready", ready[0], String.join(" ", ready));
            int port = events.bindInterdomain(GUEST, Integer.parseInt(ready[1]));
            assertEquals(port, events.waitPending(0));
            events.unmask(port);

            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                events.notify(port);
                int fired = events.waitPending(TEN_SECONDS);
                if (fired != port) {
                    throw new AssertionError("lost wake-up in round " + i + ": " + fired);
                }
                events.unmask(port);
            }
            long elapsed = System.nanoTime() - start;

            assertEquals("done", guest.nextLine(10));
            assertEquals(0, guest.waitFor(10));
            assertEquals(rounds, account.notificationsSent(BACKEND, port));
            assertEquals(rounds + 1, account.eventsDelivered(BACKEND, port), "the bind event plus one per round");
            assertEquals(0, account.deliveryOverflows(BACKEND, port));
            assertTrue(elapsed > 0);
            System.out.printf("%d cross-process round trips in %.2f s (%.1f us each)%n",
                    rounds, elapsed / 1e9, elapsed / 1e3 / rounds);
        }
    }

    /**
     * A backend process killed without closing its handle leaves its port bound; Linux would have
     * closed it with the process's evtchn fd. The next backend's bind reclaims the dead process's
     * port, and the guest's events reach the new backend. A live process's binding is not taken.
     */
    @Test
    void aKilledBackendsPortIsReclaimedByTheNextBind() throws Exception {
        createDomains();
        try (HarnessGuest guest = new HarnessGuest(dir, GUEST);
             HarnessHypervisor xen = new HarnessHypervisor(dir, BACKEND);
             HarnessAccount account = new HarnessAccount(dir)) {
            HarnessEventChannel front = guest.openEventChannel();
            int guestPort = front.allocateUnbound(BACKEND);
            int deadPort;
            try (ChildJvm backend = new ChildJvm(BackendProcessMain.class, dir.resolve("backend.err"),
                    dir.toString(), Integer.toString(BACKEND), Integer.toString(GUEST), Integer.toString(guestPort))) {
                String[] bound = backend.nextLine(30).split(" ");
                assertEquals("bound", bound[0], String.join(" ", bound));
                deadPort = Integer.parseInt(bound[1]);
                try (EventChannel rival = xen.openEventChannel()) {
                    assertThrows(EventChannelException.class, () -> rival.bindInterdomain(GUEST, guestPort),
                            "the port of a live backend process is not taken");
                }
                backend.kill();
            }
            assertEquals(PortState.INTERDOMAIN, account.portState(BACKEND, deadPort), "a dead process cannot unbind");
            try (EventChannel events = xen.openEventChannel()) {
                int port = events.bindInterdomain(GUEST, guestPort);
                assertEquals(port, events.waitPending(0), "the bind event");
                events.unmask(port);
                front.notify(guestPort);
                assertEquals(port, events.waitPending(TEN_SECONDS), "the guest's event reaches the new backend");
                if (port != deadPort) {
                    assertEquals(PortState.FREE, account.portState(BACKEND, deadPort), "the dead port was closed");
                }
            }
            front.close();
        }
    }
}
