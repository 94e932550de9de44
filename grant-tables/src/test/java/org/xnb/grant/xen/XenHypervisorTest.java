package org.xnb.grant.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenHypervisorTest {

    /** This machine has no /dev/xen: the real entry points say so in one line, without loading JNA. */
    @Test
    void onAMachineWithoutXenEveryEntryPointFailsWithOneClearMessage() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/xen/gntdev")), "a Xen dom0");
        try (XenHypervisor xen = new XenHypervisor()) {
            XenUnavailableException g = assertThrows(XenUnavailableException.class, xen::openGrantTable);
            assertEquals("/dev/xen/gntdev is missing: xnb must run in dom0 of a Xen host", g.getMessage());
            XenUnavailableException e = assertThrows(XenUnavailableException.class, xen::openEventChannel);
            assertEquals("/dev/xen/evtchn is missing: xnb must run in dom0 of a Xen host", e.getMessage());
        }
    }

    @Test
    void aMissingLibraryIsNamedWithItsDebianPackage(@TempDir Path devXen) throws Exception {
        Files.createFile(devXen.resolve("gntdev"));
        XenHypervisor xen = new XenHypervisor(devXen, () -> {
            throw new UnsatisfiedLinkError("libxengnttab.so.1: cannot open shared object file");
        }, () -> mock(EvtchnNative.class));

        XenUnavailableException e = assertThrows(XenUnavailableException.class, xen::openGrantTable);
        assertTrue(e.getMessage().startsWith("libxengnttab.so.1 cannot be loaded (install Debian's libxengnttab1)"),
                e.getMessage());
    }

    @Test
    void openRefusedForPermissionsSaysToRunAsRoot(@TempDir Path devXen) throws Exception {
        Files.createFile(devXen.resolve("evtchn"));
        EvtchnNative lib = mock(EvtchnNative.class);
        when(lib.open()).thenReturn(0L);
        when(lib.errno()).thenReturn(Errno.EACCES);
        XenHypervisor xen = new XenHypervisor(devXen, () -> mock(GnttabNative.class), () -> lib);

        XenUnavailableException e = assertThrows(XenUnavailableException.class, xen::openEventChannel);
        assertEquals("xenevtchn_open on " + devXen.resolve("evtchn") + ": EACCES (13) (xnb must run as root)",
                e.getMessage());
    }

    @Test
    void openedHandlesUseTheLibrary(@TempDir Path devXen) throws Exception {
        Files.createFile(devXen.resolve("gntdev"));
        GnttabNative lib = mock(GnttabNative.class);
        when(lib.open()).thenReturn(0x55L);
        XenHypervisor xen = new XenHypervisor(devXen, () -> lib, () -> mock(EvtchnNative.class));

        xen.openGrantTable().close();

        org.mockito.Mockito.verify(lib).close(0x55L);
    }

    /** The Debian libraries are installed here even without Xen: they load, and the native open reports ENOENT. */
    @Test
    void realLibrariesLoadAndTheirOpenFailureBecomesTheDeviceMessage(@TempDir Path devXen) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/xen/gntdev")), "a Xen dom0");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/xengnttab.h")), "libxen-dev");
        // Stand-in device files get past the existence check, so the real xengnttab_open runs.
        Files.createFile(devXen.resolve("gntdev"));
        Files.createFile(devXen.resolve("evtchn"));
        XenHypervisor xen = new XenHypervisor(devXen, LibXenGnttab::new, LibXenEvtchn::new);

        XenUnavailableException g = assertThrows(XenUnavailableException.class, xen::openGrantTable);
        assertEquals(devXen.resolve("gntdev") + " is missing: xnb must run in dom0 of a Xen host", g.getMessage());
        XenUnavailableException e = assertThrows(XenUnavailableException.class, xen::openEventChannel);
        assertEquals(devXen.resolve("evtchn") + " is missing: xnb must run in dom0 of a Xen host", e.getMessage());
    }
}
