package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.SharedRingDescriptor;

/**
 * The ring protocol under stress across two processes: a guest JVM ({@link RingFrontendMain})
 * produces tens of millions of TX requests into a ring in its own memory, this JVM maps the
 * ring through the harness hypervisor and answers them ({@link RingBackendLoop}). Both sides
 * sleep only on their event channel after a failed final check, so a lost wake-up shows as a
 * 10 s wait timing out; both check every entry, so a duplicate, gap, torn slot or overrun fails
 * where it is read. The indices start a few thousand below 2^32 and wrap during the run.
 *
 * <p>{@code -Dxnb.ring.xproc.entries=N} sets the count (default {@value #DEFAULT_ENTRIES}),
 * {@code -Dxnb.ring.xproc.seed=S} replays a run (batch sizes, pauses and the start index).
 */
class RingCrossProcessIT {
    static final long DEFAULT_ENTRIES = 50_000_000L;
    private static final int BACKEND = 0;
    private static final int GUEST = 5;
    private static final int RING_FRAME = 2;
    /** The guest's kicks and the backend's may each be at most this share of the entries. */
    private static final int SUPPRESSION_FACTOR = 8;

    @Test
    void tensOfMillionsOfRequestsAndResponsesBetweenTwoProcesses() throws Exception {
        long entries = Long.getLong("xnb.ring.xproc.entries", DEFAULT_ENTRIES);
        long seed = Long.getLong("xnb.ring.xproc.seed", System.nanoTime());
        try (ScratchDirectory scratch = new ScratchDirectory(null, "xnb-ring-xproc-")) {
            Path dir = scratch.path();
            try (HarnessDirectory h = HarnessDirectory.create(dir)) {
                h.createDomain(BACKEND, 0, 16, 8);
                h.createDomain(GUEST, 4, 16, 8);
            }
            Path guestErr = dir.resolve("guest.err");
            try (ChildJvm guest = new ChildJvm(RingFrontendMain.class, List.of("-Xmx128m", "-XX:+UseSerialGC"), guestErr,
                    dir.toString(), Integer.toString(GUEST), Integer.toString(BACKEND), Integer.toString(RING_FRAME),
                    Long.toString(entries), Long.toString(seed))) {
                try {
                    exchange(dir, guest, entries, seed);
                } catch (Throwable t) {
                    throw withGuestView(t, guest, guestErr, seed);
                }
            }
        }
    }

    private static void exchange(Path dir, ChildJvm guest, long entries, long seed) throws Exception {
        try (HarnessHypervisor xen = new HarnessHypervisor(dir, BACKEND);
             HarnessAccount account = new HarnessAccount(dir);
             HarnessGrantTable table = xen.openGrantTable();
             HarnessEventChannel events = xen.openEventChannel()) {
            String[] ready = words(guest.nextLine(30), "ready", 4);
            int ref = Integer.parseInt(ready[1]);
            int guestPort = Integer.parseInt(ready[2]);
            int start = Integer.parseUnsignedInt(ready[3]);
            assertEquals(RingFrontendMain.startIndex(seed), start);

            GrantMapping mapping = table.map(GUEST, new int[] {ref}, 1, true);
            int port = events.bindInterdomain(GUEST, guestPort);
            assertEquals(port, events.waitPending(0), "Xen raises a freshly bound port once");
            events.unmask(port);
            BackRing ring = BackRing.attachLive(mapping.buffer(), 0, SharedRingDescriptor.PAGE_BYTES, Netif.TX_SLOT_BYTES);
            assertEquals(start, ring.requestConsumer(), "the backend resumes at the ring's published rsp_prod");

            guest.send("go");
            long t0 = System.nanoTime();
            RingBackendLoop.Stats back = new RingBackendLoop(ring, events, port, entries, seed).run();
            String[] done = words(guest.nextLine(30), "done", 6);
            long elapsed = System.nanoTime() - t0;
            long received = Long.parseLong(done[1]);
            long guestKicks = Long.parseLong(done[2]);
            long guestSleeps = Long.parseLong(done[3]);

            // counts on both sides, final indices on both sides and in the page
            int end = (int) (start + entries);
            assertEquals(entries, back.consumed());
            assertEquals(entries, received);
            assertEquals(RingIndices.u(end), done[4], "guest's published req_prod");
            assertEquals(RingIndices.u(end), done[5], "guest's rsp_cons");
            assertEquals(end, ring.requestConsumer());
            assertEquals(end, ring.requestProducer(), "no request beyond the last one");
            assertEquals(0, ring.unconsumedRequests());
            if (entries >= -(long) start) {
                assertTrue(Integer.compareUnsigned(end, start) < 0, "the run crossed 2^32");
            }
            assertTrue(back.maxOutstanding() > 0 && back.maxOutstanding() <= ring.size(), "in flight " + back.maxOutstanding());

            // notifications: the harness counted what each side says it sent; every sleep ended by a delivery
            assertEquals(guestKicks, account.notificationsSent(GUEST, guestPort), "guest kicks");
            assertEquals(back.kicks(), account.notificationsSent(BACKEND, port), "backend kicks");
            assertDeliveries(account.eventsDelivered(BACKEND, port), back.sleeps() + 1, "backend (sleeps + the bind event)");
            assertDeliveries(account.eventsDelivered(GUEST, guestPort), guestSleeps, "guest sleeps");
            assertEquals(0, account.deliveryOverflows(BACKEND, port));
            assertEquals(0, account.deliveryOverflows(GUEST, guestPort));
            assertTrue(back.sleeps() > 0 && guestSleeps > 0, "both sides must have slept: the path that loses wake-ups");
            assertTrue(guestKicks < entries / SUPPRESSION_FACTOR, "guest kicks " + guestKicks + " for " + entries);
            assertTrue(back.kicks() < entries / SUPPRESSION_FACTOR, "backend kicks " + back.kicks() + " for " + entries);

            System.out.printf("ring across processes: %,d entries each way in %.2f s = %,.0f entries/s (seed %d, start %s);"
                    + " kicks to backend %,d, to guest %,d; backend slept %,d, guest slept %,d; max in flight %d%n",
                    entries, elapsed / 1e9, entries / (elapsed / 1e9), seed, RingIndices.u(start), guestKicks, back.kicks(),
                    back.sleeps(), guestSleeps, back.maxOutstanding());

            // teardown leaves nothing behind
            events.unbind(port);
            mapping.close();
            assertEquals(0, account.pins(GUEST, ref));
            assertEquals(0, account.pinnedGrants(GUEST));
            assertEquals(0, account.mappedPages(BACKEND));
            assertEquals(0, account.boundPorts(BACKEND));
            assertEquals(PortState.UNBOUND, account.portState(GUEST, guestPort));
            guest.send("end");
            assertEquals("ended true", guest.nextLine(10), "the guest ends its grant once the backend unmapped it");
            assertEquals(0, guest.waitFor(10));
            assertEquals(0, account.boundPorts(GUEST));
        }
    }

    /** Every wait consumed one delivery; at most one more may still be queued (the port stays masked until unmask). */
    private static void assertDeliveries(long delivered, long waits, String what) {
        assertTrue(delivered == waits || delivered == waits + 1, "events delivered " + delivered + " vs " + waits + " " + what);
    }

    private static String[] words(String line, String first, int count) {
        String[] w = line.split(" ");
        if (!first.equals(w[0]) || w.length != count) {
            throw new AssertionError("guest said '" + line + "', expected '" + first + "' and " + (count - 1) + " values");
        }
        return w;
    }

    /** The backend's failure plus what the guest reported (it times out 10 s after a lost wake-up too). */
    private static AssertionError withGuestView(Throwable t, ChildJvm guest, Path guestErr, long seed)
            throws InterruptedException {
        StringBuilder view = new StringBuilder("seed ").append(seed).append(": ").append(t.getMessage());
        String line = guest.pollLine(12);
        for (int i = 0; line != null && i < 20; i++) {
            view.append("\n  guest: ").append(line);
            line = guest.pollLine(1);
        }
        try {
            if (Files.exists(guestErr) && Files.size(guestErr) > 0) {
                view.append("\n  guest stderr: ").append(Files.readString(guestErr));
            }
        } catch (IOException e) {
            view.append("\n  guest stderr unreadable: ").append(e);
        }
        return new AssertionError(view.toString(), t);
    }
}
