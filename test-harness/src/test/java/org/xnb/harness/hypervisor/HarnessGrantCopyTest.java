package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.hypervisor.HarnessFixture.BACKEND;
import static org.xnb.harness.hypervisor.HarnessFixture.GUEST;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;

class HarnessGrantCopyTest {
    @TempDir
    Path dir;
    private HarnessFixture h;
    private GrantTable table;
    private final UnsafeBuffer local = HarnessFixture.localPages(2);
    private final GrantCopyBatch batch = new GrantCopyBatch(64);

    @BeforeEach
    void setUp() {
        h = new HarnessFixture(dir);
        table = h.backend.openGrantTable();
    }

    @AfterEach
    void tearDown() {
        table.close();
        h.close();
    }

    @Test
    void copiesFromAndToGuestPagesAtTheirOffsets() {
        h.fillFrame(3);
        int src = h.guest.grantAccess(3, BACKEND, true);
        int dst = h.guest.grantAccess(4, BACKEND, false);
        batch.addFromGuest(GUEST, src, 100, local.addressOffset(), 1500);
        for (int i = 0; i < 64; i++) {
            local.putByte(4096 + i, (byte) (i + 1));
        }
        batch.addToGuest(local.addressOffset() + 4096, GUEST, dst, 4032, 64);

        assertEquals(0, table.copy(batch));

        for (int i = 0; i < 1500; i++) {
            assertEquals(HarnessFixture.pattern(3, 100 + i), local.getByte(i), "byte " + i);
        }
        for (int i = 0; i < 64; i++) {
            assertEquals((byte) (i + 1), h.guest.memory().getByte(HarnessGuest.frameOffset(4) + 4032 + i));
        }
        assertEquals(GrantStatus.OKAY, batch.status(0));
        assertEquals(GrantStatus.OKAY, batch.status(1));
        // pins are held only during the copy
        assertEquals(0, h.account.pinnedGrants(GUEST));
        assertEquals(GrantEntryV1.GTF_PERMIT_ACCESS | GrantEntryV1.GTF_READONLY, h.guest.grantFlags(src));
        assertEquals(GrantEntryV1.GTF_PERMIT_ACCESS, h.guest.grantFlags(dst));
    }

    @Test
    void everyBadSegmentGetsXensCodeAndTheOthersStillCopy() {
        h.fillFrame(1);
        int good = h.guest.grantAccess(1, BACKEND, false);
        int readOnly = h.guest.grantAccess(2, BACKEND, true);
        int otherDomain = h.guest.grantAccess(2, 7, false);
        int badFrame = h.guest.grantAccess(HarnessFixture.PAGES + 3, BACKEND, false);
        long at = local.addressOffset();

        batch.addFromGuest(GUEST, good, 4000, at, 200);                       // 0: crosses the page end
        batch.addFromGuest(9, good, 0, at, 64);                              // 1: no domain 9
        batch.addFromGuest(GUEST, HarnessFixture.GRANTS + 1, 0, at, 64);      // 2: ref past the table
        batch.addToGuest(at, GUEST, readOnly, 0, 64);                         // 3: write to a r/o grant
        batch.addFromGuest(GUEST, otherDomain, 0, at, 64);                    // 4: granted to domain 7
        batch.addFromGuest(GUEST, badFrame, 0, at, 64);                       // 5: frame outside memory
        batch.addFromGuest(GUEST, readOnly, 0, at + 64, 64);                  // 6: reading a r/o grant is fine
        batch.addFromGuest(GUEST, good, 10, at + 128, 16);                    // 7: fine

        assertEquals(6, table.copy(batch));

        assertEquals(GrantStatus.BAD_COPY_ARG, batch.status(0));
        assertEquals(GrantStatus.BAD_DOMAIN, batch.status(1));
        assertEquals(GrantStatus.BAD_GNTREF, batch.status(2));
        assertEquals(GrantStatus.GENERAL_ERROR, batch.status(3));
        assertEquals(GrantStatus.GENERAL_ERROR, batch.status(4));
        assertEquals(GrantStatus.BAD_PAGE, batch.status(5));
        assertEquals(GrantStatus.OKAY, batch.status(6));
        assertEquals(GrantStatus.OKAY, batch.status(7));
        assertEquals(HarnessFixture.pattern(1, 10), local.getByte(128));
        assertEquals(0, h.account.pinnedGrants(GUEST));
    }

    @Test
    void copyUnderAMappingKeepsTheMapsPin() {
        int ref = h.guest.grantAccess(1, BACKEND, false);
        try (var m = table.map(GUEST, new int[] {ref}, 1, false)) {
            assertEquals(1, m.pages());
            batch.addToGuest(local.addressOffset(), GUEST, ref, 0, 8);
            assertEquals(0, table.copy(batch));
            assertEquals(1, h.account.pins(GUEST, ref));
            assertEquals(GrantEntryV1.GTF_PERMIT_ACCESS | GrantEntryV1.GTF_READING, h.guest.grantFlags(ref));
        }
        assertEquals(0, h.account.pins(GUEST, ref));
    }

    @Test
    void copyingAllocatesNothingPerSegment() {
        int[] refs = new int[16];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = h.guest.grantAccess(i, BACKEND, false);
        }
        for (int i = 0; i < 64; i++) {
            batch.addFromGuest(GUEST, refs[i % 16], 0, local.addressOffset(), 1500);
        }
        for (int i = 0; i < 5_000; i++) {
            table.copy(batch);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int failed = 0;
        for (int i = 0; i < 2_000; i++) {
            failed += table.copy(batch);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, failed);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 128000 segments");
    }
}
