package org.xnb.grant;

/**
 * What a backend needs from the hypervisor, and nothing more: grant tables (map and copy guest
 * pages) and event channels (bind, notify, wait). Two implementations exist: real Xen through
 * libxengnttab/libxenevtchn ({@code org.xnb.grant.xen}) and the harness (module test-harness).
 *
 * <p>Handles are cheap to open. A lane opens its own {@link GrantTable} and {@link EventChannel}
 * so that no lane ever waits on another lane's handle.
 */
public interface Hypervisor extends AutoCloseable {

    /** Opens a grant-table handle (xengnttab_open on real Xen). */
    GrantTable openGrantTable();

    /** Opens an event-channel handle with its own wait fd (xenevtchn_open on real Xen). */
    EventChannel openEventChannel();

    /** Releases what the factory holds; handles already opened must be closed by their owners. */
    @Override
    void close();
}
