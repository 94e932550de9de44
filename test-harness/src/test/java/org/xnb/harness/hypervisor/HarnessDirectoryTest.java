package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void domainsAreSeenByEveryOpenerOnceCreated() {
        try (HarnessDirectory a = HarnessDirectory.create(dir); HarnessDirectory b = HarnessDirectory.open(dir)) {
            assertFalse(b.domainExists(3));
            a.createDomain(3, 4, 16, 8);
            assertTrue(b.domainExists(3));
            assertEquals(4, b.requireDomain(3).pages());
            assertEquals(16, b.requireDomain(3).grantEntries());
            assertEquals(8, b.requireDomain(3).ports());
            assertEquals(null, b.domain(4));
        }
    }

    @Test
    void creatingTwiceFailsClearly() {
        try (HarnessDirectory a = HarnessDirectory.create(dir)) {
            a.createDomain(1, 1, 8, 4);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.createDomain(1, 1, 8, 4));
            assertTrue(e.getMessage().contains("domain 1 already exists"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> HarnessDirectory.create(dir));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (HarnessDirectory a = HarnessDirectory.create(dir)) {
            assertThrows(IllegalArgumentException.class, () -> a.createDomain(0x7ff0, 1, 8, 4));
            assertThrows(IllegalArgumentException.class, () -> a.createDomain(1, -1, 8, 4));
            assertThrows(IllegalArgumentException.class, () -> a.createDomain(1, 1, 8, 1));
        }
    }

    @Test
    void openingSomethingElseSaysWhatIsWrong(@TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HarnessDirectory.open(empty));
        assertTrue(e.getMessage().contains("is not a harness directory"), e.getMessage());
    }

    @Test
    void actingAsAMissingDomainFails() {
        HarnessDirectory.create(dir).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HarnessHypervisor(dir, 0));
        assertEquals("no domain 0 in harness " + dir, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HarnessGuest(dir, 5));
    }

    @Test
    void handleIdsAreUniqueAcrossOpeners() {
        try (HarnessDirectory a = HarnessDirectory.create(dir); HarnessDirectory b = HarnessDirectory.open(dir)) {
            int x = a.nextHandleId();
            int y = b.nextHandleId();
            int z = a.nextHandleId();
            assertEquals(3, java.util.Set.of(x, y, z).size());
        }
    }
}
