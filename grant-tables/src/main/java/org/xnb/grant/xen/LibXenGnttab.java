package org.xnb.grant.xen;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libxengnttab.so.1 bound by JNA direct mapping. Loading this class loads the library, so it is
 * only touched once {@link XenHypervisor} has checked that the device exists.
 */
final class LibXenGnttab implements GnttabNative {
    static final String LIBRARY = "libxengnttab.so.1";

    static {
        Native.register(NativeLibrary.getInstance(LIBRARY));
    }

    private static native long xengnttab_open(long logger, int openFlags);

    private static native int xengnttab_close(long handle);

    private static native long xengnttab_map_domain_grant_refs(long handle, int count, int domid, int[] refs, int prot);

    private static native int xengnttab_unmap(long handle, long startAddress, int count);

    private static native int xengnttab_grant_copy(long handle, int count, long segments);

    @Override
    public long open() {
        return xengnttab_open(0, 0);
    }

    @Override
    public int close(long handle) {
        return xengnttab_close(handle);
    }

    @Override
    public long mapDomainGrantRefs(long handle, int count, int domid, int[] refs, int prot) {
        return xengnttab_map_domain_grant_refs(handle, count, domid, refs, prot);
    }

    @Override
    public int unmap(long handle, long address, int count) {
        return xengnttab_unmap(handle, address, count);
    }

    @Override
    public int grantCopy(long handle, int count, long segments) {
        return xengnttab_grant_copy(handle, count, segments);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }
}
