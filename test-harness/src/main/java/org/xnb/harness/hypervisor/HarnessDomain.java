package org.xnb.harness.hypervisor;

import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.XenPage;

/**
 * One simulated domain as mapped by this process: its memory ({@code memory}, N pages), its
 * grant table ({@code grant-table}, {@link GrantEntryV1} entries) and the hypervisor's private
 * state about it ({@code state}, {@link DomainLayout}).
 */
final class HarnessDomain implements AutoCloseable {
    static final String MEMORY = "memory";
    static final String GRANT_TABLE = "grant-table";
    static final String STATE = "state";

    private final int domid;
    private final MappedFile memory;
    private final MappedFile grantTable;
    private final MappedFile state;
    private final int pages;
    private final int grantEntries;
    private final int ports;
    private final int portsStart;

    HarnessDomain(int domid, MappedFile memory, MappedFile grantTable, MappedFile state) {
        this.domid = domid;
        this.memory = memory;
        this.grantTable = grantTable;
        this.state = state;
        UnsafeBuffer s = state.buffer();
        if (s.getInt(DomainLayout.MAGIC_OFFSET) != DomainLayout.MAGIC) {
            throw new IllegalStateException(state.path() + " is not a harness domain state file");
        }
        this.pages = s.getInt(DomainLayout.PAGES_OFFSET);
        this.grantEntries = s.getInt(DomainLayout.GRANT_ENTRIES_OFFSET);
        this.ports = s.getInt(DomainLayout.PORTS_OFFSET);
        this.portsStart = DomainLayout.portsStart(grantEntries);
    }

    int domid() {
        return domid;
    }

    int pages() {
        return pages;
    }

    int grantEntries() {
        return grantEntries;
    }

    int ports() {
        return ports;
    }

    /** The guest's pages, frame {@code f} at offset {@code f * 4096}. */
    UnsafeBuffer memory() {
        return memory.buffer();
    }

    long frameAddress(int frame) {
        return memory.address() + (long) frame * XenPage.SIZE;
    }

    int memoryFd() {
        return memory.fd();
    }

    UnsafeBuffer grantTable() {
        return grantTable.buffer();
    }

    UnsafeBuffer state() {
        return state.buffer();
    }

    int portOffset(int port) {
        return portsStart + port * DomainLayout.PORT_SIZE;
    }

    boolean validPort(int port) {
        return port > 0 && port < ports;
    }

    @Override
    public void close() {
        memory.close();
        grantTable.close();
        state.close();
    }
}
