package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.hypervisor.HarnessFixture.BACKEND;
import static org.xnb.harness.hypervisor.HarnessFixture.GUEST;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.EventChannelException;
import org.xnb.grant.xen.PollWait;

class HarnessEventChannelTest {
    private static final long NOW = 0;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;
    private HarnessFixture h;
    private HarnessEventChannel front;
    private HarnessEventChannel back;

    @BeforeEach
    void setUp() {
        h = new HarnessFixture(dir);
        front = h.guest.openEventChannel();
        back = h.backend.openEventChannel();
    }

    @AfterEach
    void tearDown() {
        back.close();
        front.close();
        h.close();
    }

    /** Guest offers a port, backend binds it and takes the event Xen raises on bind. */
    private int[] connect() {
        int guestPort = front.allocateUnbound(BACKEND);
        int backPort = back.bindInterdomain(GUEST, guestPort);
        assertEquals(backPort, back.waitPending(NOW), "Xen sets the new local port pending on bind");
        back.unmask(backPort);
        return new int[] {guestPort, backPort};
    }

    @Test
    void bindConnectsBothEnds() {
        int guestPort = front.allocateUnbound(BACKEND);
        assertEquals(PortState.UNBOUND, h.account.portState(GUEST, guestPort));
        assertEquals(BACKEND, h.account.remoteDomid(GUEST, guestPort));

        int backPort = back.bindInterdomain(GUEST, guestPort);

        assertEquals(PortState.INTERDOMAIN, h.account.portState(GUEST, guestPort));
        assertEquals(PortState.INTERDOMAIN, h.account.portState(BACKEND, backPort));
        assertEquals(GUEST, h.account.remoteDomid(BACKEND, backPort));
        assertEquals(1, h.account.boundPorts(GUEST));
        assertEquals(1, h.account.boundPorts(BACKEND));
        assertEquals(backPort, back.waitPending(NOW));
    }

    @Test
    void bindRefusesPortsNotOfferedToUs() {
        int offeredElsewhere = front.allocateUnbound(7);
        assertThrows(EventChannelException.class, () -> back.bindInterdomain(GUEST, offeredElsewhere));
        assertThrows(EventChannelException.class, () -> back.bindInterdomain(GUEST, offeredElsewhere + 1));
        assertThrows(EventChannelException.class, () -> back.bindInterdomain(GUEST, 0));
        assertThrows(EventChannelException.class, () -> back.bindInterdomain(GUEST, HarnessFixture.PORTS));
        EventChannelException e = assertThrows(EventChannelException.class, () -> back.bindInterdomain(9, 1));
        assertTrue(e.getMessage().contains("no such domain"), e.getMessage());
        int guestPort = front.allocateUnbound(BACKEND);
        back.bindInterdomain(GUEST, guestPort);
        assertThrows(EventChannelException.class, () -> back.bindInterdomain(GUEST, guestPort), "bound already");
        assertEquals(1, h.account.boundPorts(BACKEND));
    }

    @Test
    void deliveryMasksThePortAndUnmaskRedeliversWhatArrivedMeanwhile() {
        int[] p = connect();

        front.notify(p[0]);
        assertEquals(p[1], back.waitPending(NOW));
        assertTrue(h.account.masked(BACKEND, p[1]));

        front.notify(p[0]);
        front.notify(p[0]);
        assertEquals(-1, back.waitPending(NOW), "masked: no second delivery");
        assertTrue(h.account.pending(BACKEND, p[1]));

        back.unmask(p[1]);
        assertEquals(p[1], back.waitPending(NOW), "the pending event is delivered on unmask");
        assertTrue(h.account.masked(BACKEND, p[1]));
        assertFalse(h.account.pending(BACKEND, p[1]));

        back.unmask(p[1]);
        assertFalse(h.account.masked(BACKEND, p[1]));
        assertEquals(-1, back.waitPending(NOW));
        assertEquals(3, h.account.notificationsSent(GUEST, p[0]));
        assertEquals(3, h.account.eventsDelivered(BACKEND, p[1]), "bind + first notify + unmask");
    }

    @Test
    void eventsGoBothWays() {
        int[] p = connect();

        back.notify(p[1]);

        assertEquals(p[0], front.waitPending(NOW));
        assertEquals(1, h.account.eventsDelivered(GUEST, p[0]));
        assertEquals(1, h.account.notificationsSent(BACKEND, p[1]));
    }

    @Test
    void notifyOnAPortNotBoundToThisHandleFails() {
        int[] p = connect();
        EventChannelException e = assertThrows(EventChannelException.class, () -> back.notify(p[1] + 1));
        assertTrue(e.getMessage().contains("ENOTCONN"), e.getMessage());
        assertThrows(EventChannelException.class, () -> front.notify(p[1] == p[0] ? p[0] + 1 : p[1]));
        assertThrows(EventChannelException.class, () -> back.unmask(p[1] + 1));
        assertThrows(EventChannelException.class, () -> back.unbind(p[1] + 1));
    }

    @Test
    void unbindIsVisibleRemotelyAndLaterNotifiesAreDropped() {
        int[] p = connect();

        back.unbind(p[1]);

        assertEquals(PortState.FREE, h.account.portState(BACKEND, p[1]));
        assertEquals(PortState.UNBOUND, h.account.portState(GUEST, p[0]));
        assertEquals(0, h.account.boundPorts(BACKEND));
        front.notify(p[0]); // Xen drops it silently
        assertEquals(1, h.account.notificationsSent(GUEST, p[0]));
        assertEquals(-1, back.waitPending(NOW));
        assertThrows(EventChannelException.class, () -> back.notify(p[1]));
        // the guest's port is offered again and can be re-bound
        int again = back.bindInterdomain(GUEST, p[0]);
        assertEquals(PortState.INTERDOMAIN, h.account.portState(GUEST, p[0]));
        assertEquals(again, back.waitPending(NOW));
    }

    @Test
    void aDeliveryQueuedBeforeUnbindIsNotReturned() {
        int[] p = connect();
        front.notify(p[0]);

        back.unbind(p[1]);

        assertEquals(-1, back.waitPending(NOW));
    }

    @Test
    void closeUnbindsEveryPortAndRemovesTheDoorbell() throws Exception {
        int[] p = connect();
        long doorbells;
        try (var files = Files.list(dir.resolve("doorbells"))) {
            doorbells = files.count();
        }
        assertEquals(2, doorbells);

        back.close();

        assertEquals(0, h.account.boundPorts(BACKEND));
        assertEquals(PortState.UNBOUND, h.account.portState(GUEST, p[0]));
        try (var files = Files.list(dir.resolve("doorbells"))) {
            assertEquals(1, files.count());
        }
        assertThrows(IllegalStateException.class, () -> back.waitPending(NOW));
    }

    @Test
    void theFdPollsReadableExactlyWhileADeliveryIsQueued() {
        int[] p = connect();
        PollWait poll = new PollWait();
        assertFalse(poll.awaitReadable(back.fd(), 0));

        front.notify(p[0]);

        assertTrue(poll.awaitReadable(back.fd(), 0));
        assertEquals(p[1], back.waitPending(NOW));
        assertFalse(poll.awaitReadable(back.fd(), 0));
    }

    @Test
    void waitPendingTimesOut() {
        connect();
        long start = System.nanoTime();
        assertEquals(-1, back.waitPending(50_000_000L));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= 45_000_000L && waited < 5 * SECOND, "waited " + waited + " ns");
    }

    @Test
    void aBlockedWaiterWakesOnNotifyFromAnotherThread() throws Exception {
        int[] p = connect();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Integer> woke = CompletableFuture.supplyAsync(() -> back.waitPending(10 * SECOND), pool);
            front.notify(p[0]);
            assertEquals(p[1], woke.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void portsRunOutWithAClearError() {
        for (int i = 1; i < HarnessFixture.PORTS; i++) {
            front.allocateUnbound(BACKEND);
        }
        EventChannelException e = assertThrows(EventChannelException.class, () -> front.allocateUnbound(BACKEND));
        assertTrue(e.getMessage().contains("no free event-channel port"), e.getMessage());
    }
}
