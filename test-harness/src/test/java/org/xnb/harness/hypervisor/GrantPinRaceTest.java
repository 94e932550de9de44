package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.hypervisor.HarnessFixture.BACKEND;
import static org.xnb.harness.hypervisor.HarnessFixture.GUEST;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;

/** The pin protocol under contention: the guest ending grants, several backend lanes mapping. */
class GrantPinRaceTest {
    private static final int ROUNDS = 5_000;

    @TempDir
    Path dir;

    /** Whenever a map succeeded the guest cannot have ended the grant: GTF_reading stays set until unmap. */
    @Test
    void theGuestNeverEndsAGrantThatIsMapped() throws Exception {
        try (HarnessFixture h = new HarnessFixture(dir); GrantTable table = h.backend.openGrantTable()) {
            int ref = h.guest.grantAccess(1, BACKEND, false);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                AtomicInteger ended = new AtomicInteger();
                Future<?> guestEnds = pool.submit(() -> {
                    while (!stop.get()) {
                        if (h.guest.tryEndAccess(ref)) {
                            ended.incrementAndGet();
                            h.guest.writeGrantEntry(ref, GrantEntryV1.GTF_PERMIT_ACCESS, BACKEND, 1);
                        }
                    }
                });
                int mapped = 0;
                int refused = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // run until both sides have won often, whatever the scheduler does, within a deadline
                for (int i = 0; (i < ROUNDS || ended.get() < 100 || mapped < 100) && System.nanoTime() < deadline; i++) {
                    GrantMapping m;
                    try {
                        m = table.map(GUEST, new int[] {ref}, 1, true);
                    } catch (GrantException e) {
                        assertEquals(GrantStatus.GENERAL_ERROR, e.status()); // caught between end and re-grant
                        refused++;
                        continue;
                    }
                    int flags = h.guest.grantFlags(ref);
                    assertEquals(GrantEntryV1.GTF_READING | GrantEntryV1.GTF_WRITING,
                            flags & (GrantEntryV1.GTF_READING | GrantEntryV1.GTF_WRITING), "flags 0x" + Integer.toHexString(flags));
                    m.close();
                    mapped++;
                }
                stop.set(true);
                guestEnds.get(10, TimeUnit.SECONDS);
                assertTrue(mapped + refused >= ROUNDS);
                assertTrue(mapped >= 100, "maps succeeded: " + mapped);
                assertTrue(ended.get() >= 100, "the guest ended the grant between maps: " + ended.get());
                assertEquals(0, h.account.pinnedGrants(GUEST));
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    /** Lanes in two threads map and copy one ref at once: pin counts and flags come back exactly. */
    @Test
    void concurrentLanesKeepPinCountsExact() throws Exception {
        try (HarnessFixture h = new HarnessFixture(dir)) {
            int ref = h.guest.grantAccess(2, BACKEND, false);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> lanes = new ArrayList<>();
                for (int lane = 0; lane < 2; lane++) {
                    boolean writable = lane == 0;
                    lanes.add(pool.submit(() -> {
                        try (GrantTable table = h.backend.openGrantTable()) {
                            for (int i = 0; i < ROUNDS; i++) {
                                table.map(GUEST, new int[] {ref}, 1, writable).close();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : lanes) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, h.account.pins(GUEST, ref));
            assertEquals(GrantEntryV1.GTF_PERMIT_ACCESS, h.guest.grantFlags(ref));
            assertEquals(0, h.account.mappedPages(BACKEND));
        }
    }
}
