package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xnb.harness.hypervisor.HarnessFixture.BACKEND;
import static org.xnb.harness.hypervisor.HarnessFixture.GUEST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;

class HarnessGrantMapTest {
    private static final int READING = GrantEntryV1.GTF_READING;
    private static final int WRITING = GrantEntryV1.GTF_WRITING;
    private static final int PERMIT = GrantEntryV1.GTF_PERMIT_ACCESS;

    @TempDir
    Path dir;
    private HarnessFixture h;
    private GrantTable table;

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
    void writableMapSharesBytesBothWaysAndSetsReadingAndWriting() {
        h.fillFrame(3);
        int ref = h.guest.grantAccess(3, BACKEND, false);

        GrantMapping m = table.map(GUEST, new int[] {ref}, 1, true);

        assertEquals(HarnessFixture.pattern(3, 100), m.buffer().getByte(100));
        m.buffer().putInt(200, 0x12345678);
        assertEquals(0x12345678, h.guest.memory().getInt(HarnessGuest.frameOffset(3) + 200));
        assertEquals(PERMIT | READING | WRITING, h.guest.grantFlags(ref));
        assertEquals(1, h.account.pinnedGrants(GUEST));
        assertEquals(1, h.account.mappedPages(BACKEND));

        m.close();

        assertEquals(PERMIT, h.guest.grantFlags(ref));
        assertEquals(0, h.account.pinnedGrants(GUEST));
        assertEquals(0, h.account.mappedPages(BACKEND));
        assertEquals(0, m.buffer().capacity());
    }

    @Test
    void readOnlyGrantMapsReadOnlyWithProtRead() throws IOException {
        h.fillFrame(2);
        int ref = h.guest.grantAccess(2, BACKEND, true);

        GrantMapping m = table.map(GUEST, new int[] {ref}, 1, false);

        assertEquals(HarnessFixture.pattern(2, 7), m.buffer().getByte(7));
        assertEquals(PERMIT | GrantEntryV1.GTF_READONLY | READING, h.guest.grantFlags(ref));
        assertEquals("r--s", permissionsOf(m.address()));
        m.close();
        assertEquals(PERMIT | GrantEntryV1.GTF_READONLY, h.guest.grantFlags(ref));
    }

    @Test
    void writableMapOfAReadOnlyGrantIsXensGeneralError() {
        int ref = h.guest.grantAccess(2, BACKEND, true);

        assertStatus(GrantStatus.GENERAL_ERROR, () -> table.map(GUEST, new int[] {ref}, 1, true));
        assertEquals(PERMIT | GrantEntryV1.GTF_READONLY, h.guest.grantFlags(ref));
    }

    @Test
    void refPastTheTableIsBadGntref() {
        assertStatus(GrantStatus.BAD_GNTREF, () -> table.map(GUEST, new int[] {HarnessFixture.GRANTS}, 1, false));
        assertStatus(GrantStatus.BAD_GNTREF, () -> table.map(GUEST, new int[] {-1}, 1, false));
    }

    @Test
    void unknownDomainIsBadDomain() {
        assertStatus(GrantStatus.BAD_DOMAIN, () -> table.map(9, new int[] {8}, 1, false));
        assertStatus(GrantStatus.BAD_DOMAIN, () -> table.map(0x7ff0, new int[] {8}, 1, false));
    }

    @Test
    void grantForAnotherDomainIsGeneralError() {
        int ref = h.guest.grantAccess(1, 7, false);

        assertStatus(GrantStatus.GENERAL_ERROR, () -> table.map(GUEST, new int[] {ref}, 1, false));
        assertEquals(PERMIT, h.guest.grantFlags(ref));
    }

    @Test
    void entryWithoutPermitAccessIsGeneralError() {
        h.guest.writeGrantEntry(10, GrantEntryV1.GTF_INVALID, BACKEND, 1);
        h.guest.writeGrantEntry(11, GrantEntryV1.GTF_TRANSITIVE, BACKEND, 1);
        h.guest.writeGrantEntry(12, GrantEntryV1.GTF_ACCEPT_TRANSFER, BACKEND, 1);

        for (int ref : new int[] {10, 11, 12}) {
            assertStatus(GrantStatus.GENERAL_ERROR, () -> table.map(GUEST, new int[] {ref}, 1, false));
        }
    }

    @Test
    void frameOutsideTheGuestsMemoryIsBadPageAndLeavesNoFlag() {
        int ref = h.guest.grantAccess(HarnessFixture.PAGES, BACKEND, false);
        int negative = h.guest.grantAccess(-1, BACKEND, false);

        assertStatus(GrantStatus.BAD_PAGE, () -> table.map(GUEST, new int[] {ref}, 1, true));
        assertStatus(GrantStatus.BAD_PAGE, () -> table.map(GUEST, new int[] {negative}, 1, false));
        assertEquals(PERMIT, h.guest.grantFlags(ref));
        assertEquals(0, h.account.pinnedGrants(GUEST));
    }

    @Test
    void multiPageMapIsContiguousInRefOrder() {
        int[] frames = {4, 1, 9};
        int[] refs = new int[3];
        for (int i = 0; i < 3; i++) {
            h.fillFrame(frames[i]);
            refs[i] = h.guest.grantAccess(frames[i], BACKEND, false);
        }

        GrantMapping m = table.map(GUEST, refs, 3, true);

        assertEquals(3, m.pages());
        assertEquals(3 * XenPage.SIZE, m.buffer().capacity());
        for (int i = 0; i < 3; i++) {
            assertEquals(HarnessFixture.pattern(frames[i], 4095), m.buffer().getByte(i * XenPage.SIZE + 4095));
            assertEquals(HarnessFixture.pattern(frames[i], 0), m.buffer().getByte(i * XenPage.SIZE));
        }
        // one write across the page boundary lands in two different guest frames
        m.buffer().putLong(XenPage.SIZE - 4, -1L);
        assertEquals(-1, h.guest.memory().getInt(HarnessGuest.frameOffset(4) + XenPage.SIZE - 4));
        assertEquals(-1, h.guest.memory().getInt(HarnessGuest.frameOffset(1)));
        assertEquals(3, h.account.mappedPages(BACKEND));
        m.close();
        assertEquals(0, h.account.mappedPages(BACKEND));
    }

    @Test
    void failureOnTheLastRefUndoesTheEarlierPins() {
        int a = h.guest.grantAccess(1, BACKEND, false);
        int b = h.guest.grantAccess(2, BACKEND, false);
        int readOnly = h.guest.grantAccess(3, BACKEND, true);

        GrantException e = assertThrows(GrantException.class, () -> table.map(GUEST, new int[] {a, b, readOnly}, 3, true));

        assertEquals(GrantStatus.GENERAL_ERROR, e.status());
        assertTrue(e.getMessage().contains("grant ref " + readOnly), e.getMessage());
        assertEquals(PERMIT, h.guest.grantFlags(a));
        assertEquals(PERMIT, h.guest.grantFlags(b));
        assertEquals(0, h.account.pinnedGrants(GUEST));
        assertEquals(0, h.account.mappedPages(BACKEND));
        assertTrue(h.guest.tryEndAccess(a));
    }

    @Test
    void endAccessFailsWhileMappedAndSucceedsAfterUnmap() {
        int ref = h.guest.grantAccess(1, BACKEND, false);
        GrantMapping m = table.map(GUEST, new int[] {ref}, 1, false);

        assertFalse(h.guest.tryEndAccess(ref));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.guest.endAccess(ref));
        assertTrue(e.getMessage().contains("still in use"), e.getMessage());

        m.close();
        h.guest.endAccess(ref);
        assertEquals(0, h.guest.grantFlags(ref));
        // ended: a new map is refused
        assertStatus(GrantStatus.GENERAL_ERROR, () -> table.map(GUEST, new int[] {ref}, 1, false));
    }

    @Test
    void twoMapsOfOneRefKeepTheFlagsUntilTheLastUnmap() {
        int ref = h.guest.grantAccess(1, BACKEND, false);
        GrantMapping reader = table.map(GUEST, new int[] {ref}, 1, false);
        GrantMapping writer = table.map(GUEST, new int[] {ref}, 1, true);
        assertEquals(2, h.account.pins(GUEST, ref));
        assertEquals(PERMIT | READING | WRITING, h.guest.grantFlags(ref));

        writer.close();
        assertEquals(PERMIT | READING, h.guest.grantFlags(ref));
        reader.close();
        assertEquals(PERMIT, h.guest.grantFlags(ref));
        assertEquals(0, h.account.pins(GUEST, ref));
    }

    @Test
    void closingTheTableUnmapsEverythingItMapped() {
        int a = h.guest.grantAccess(1, BACKEND, false);
        int b = h.guest.grantAccess(2, BACKEND, false);
        table.map(GUEST, new int[] {a}, 1, false);
        table.map(GUEST, new int[] {a, b}, 2, true);
        assertEquals(3, h.account.mappedPages(BACKEND));

        table.close();

        assertEquals(0, h.account.mappedPages(BACKEND));
        assertEquals(0, h.account.pinnedGrants(GUEST));
        assertTrue(h.guest.tryEndAccess(a));
        assertTrue(h.guest.tryEndAccess(b));
    }

    @Test
    void unmapIsIdempotentAndRejectsForeignMappings() {
        int ref = h.guest.grantAccess(1, BACKEND, false);
        GrantMapping m = table.map(GUEST, new int[] {ref}, 1, false);
        try (GrantTable other = h.backend.openGrantTable()) {
            assertThrows(IllegalArgumentException.class, () -> other.unmap(m));
        }
        table.unmap(m);
        table.unmap(m);
        assertEquals(0, h.account.pins(GUEST, ref));
    }

    private static void assertStatus(int status, org.junit.jupiter.api.function.Executable map) {
        GrantException e = assertThrows(GrantException.class, map);
        assertEquals(status, e.status(), e.getMessage());
    }

    /** The permission column of /proc/self/maps for the mapping that starts at {@code address}. */
    private static String permissionsOf(long address) throws IOException {
        String start = Long.toHexString(address) + "-";
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.startsWith(start))
                .map(l -> l.split("\\s+")[1])
                .findFirst().orElseThrow(() -> new AssertionError("no mapping at " + start));
    }
}
