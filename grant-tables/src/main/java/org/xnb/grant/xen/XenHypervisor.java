package org.xnb.grant.xen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.xnb.grant.EventChannel;
import org.xnb.grant.GrantTable;
import org.xnb.grant.Hypervisor;

/**
 * The real hypervisor, through Linux's {@code /dev/xen/gntdev} and {@code /dev/xen/evtchn} via
 * libxengnttab and libxenevtchn. Nothing native is loaded until a handle is opened, and on a
 * machine that is not a Xen dom0 every entry point fails with one {@link XenUnavailableException}
 * naming the missing device, never with a linkage stack trace.
 */
public final class XenHypervisor implements Hypervisor {
    private static final String NOT_DOM0 = " is missing: xnb must run in dom0 of a Xen host";

    private final Path gntdev;
    private final Path evtchn;
    private final Supplier<GnttabNative> gnttab;
    private final Supplier<EvtchnNative> events;

    public XenHypervisor() {
        this(Path.of("/dev/xen"), LibXenGnttab::new, LibXenEvtchn::new);
    }

    XenHypervisor(Path devXen, Supplier<GnttabNative> gnttab, Supplier<EvtchnNative> events) {
        this.gntdev = devXen.resolve("gntdev");
        this.evtchn = devXen.resolve("evtchn");
        this.gnttab = gnttab;
        this.events = events;
    }

    @Override
    public GrantTable openGrantTable() {
        requireDevice(gntdev);
        GnttabNative lib = load(gnttab, LibXenGnttab.LIBRARY, "libxengnttab1");
        long handle = lib.open();
        if (handle == 0) {
            throw openFailure(gntdev, "xengnttab_open", lib.errno());
        }
        return new XenGrantTable(lib, handle);
    }

    @Override
    public EventChannel openEventChannel() {
        requireDevice(evtchn);
        EvtchnNative lib = load(events, LibXenEvtchn.LIBRARY, "libxenevtchn1");
        long handle = lib.open();
        if (handle == 0) {
            throw openFailure(evtchn, "xenevtchn_open", lib.errno());
        }
        return new XenEventChannel(lib, handle);
    }

    @Override
    public void close() {
        // Nothing held here: each handle closes its own device file.
    }

    private static void requireDevice(Path device) {
        if (!Files.exists(device)) {
            throw new XenUnavailableException(device + NOT_DOM0);
        }
    }

    private static <T> T load(Supplier<T> factory, String library, String debianPackage) {
        try {
            return factory.get();
        } catch (LinkageError e) {
            throw new XenUnavailableException(library + " cannot be loaded (install Debian's " + debianPackage
                    + "): " + e.getMessage());
        }
    }

    private static XenUnavailableException openFailure(Path device, String call, int errno) {
        if (errno == Errno.ENOENT || errno == Errno.ENODEV) {
            return new XenUnavailableException(device + NOT_DOM0);
        }
        String hint = errno == Errno.EACCES || errno == Errno.EPERM ? " (xnb must run as root)" : "";
        return new XenUnavailableException(call + " on " + device + ": " + Errno.describe(errno) + hint);
    }
}
