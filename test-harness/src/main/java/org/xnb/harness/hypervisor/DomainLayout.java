package org.xnb.harness.hypervisor;

/**
 * The hypervisor-private state file of one simulated domain ({@code domains/<domid>/state}):
 * what Xen keeps for a domain and the domain cannot write, shared by every harness process.
 *
 * <pre>
 *  header (64 bytes)
 *  0        4        8              12       16                  24
 *  +--------+--------+--------------+--------+-------------------+---- ... ---+
 *  | magic  | pages  | grantEntries | ports  | mappedPages i64   |  reserved  |
 *  +--------+--------+--------------+--------+-------------------+---- ... ---+
 *  mappedPages: pages THIS domain has mapped from others right now (an account for tests)
 *
 *  active grant entries, one per grant ref (32 bytes), Xen's struct active_grant_entry
 *  0        4          8           12       16        20
 *  +--------+----------+-----------+--------+---------+---- pad ----+
 *  | lock   | readPins | writePins | frame  | pinnedBy|             |
 *  +--------+----------+-----------+--------+---------+-------------+
 *  lock: pid of the holder (0 = free); frame and pinnedBy are latched on the first pin
 *
 *  event-channel ports, one per port (64 bytes: one cache line, so ports do not false-share)
 *  0       4            8            12      16     20         24              32              40
 *  +-------+------------+------------+-------+------+----------+---------------+---------------+--- pad ---+
 *  | state | remoteDom  | remotePort | owner | bits | overflows| notifies i64  | delivered i64 |           |
 *  +-------+------------+------------+-------+------+----------+---------------+---------------+-----------+
 *  state: Xen's ECS_FREE 0, ECS_UNBOUND 2, ECS_INTERDOMAIN 3
 *  owner: id of the event-channel handle (doorbell) the port is bound to
 *  bits:  PENDING 1, MASKED 2 (one CAS word)
 *  notifies: notify calls made on this port; delivered: events delivered to its owner
 * </pre>
 */
final class DomainLayout {
    static final int MAGIC = 0x584e4244; // "XNBD"
    static final int HEADER_SIZE = 64;
    static final int MAGIC_OFFSET = 0;
    static final int PAGES_OFFSET = 4;
    static final int GRANT_ENTRIES_OFFSET = 8;
    static final int PORTS_OFFSET = 12;
    static final int MAPPED_PAGES_OFFSET = 16;

    static final int ACTIVE_SIZE = 32;
    static final int ACTIVE_LOCK = 0;
    static final int ACTIVE_READ_PINS = 4;
    static final int ACTIVE_WRITE_PINS = 8;
    static final int ACTIVE_FRAME = 12;
    static final int ACTIVE_PINNED_BY = 16;

    static final int PORT_SIZE = 64;
    static final int PORT_STATE = 0;
    static final int PORT_REMOTE_DOMID = 4;
    static final int PORT_REMOTE_PORT = 8;
    static final int PORT_OWNER = 12;
    static final int PORT_BITS = 16;
    static final int PORT_OVERFLOWS = 20;
    static final int PORT_NOTIFIES = 24;
    static final int PORT_DELIVERED = 32;
    /** The pid of the process whose handle owns the port: a dead owner's ports are reclaimed on bind. */
    static final int PORT_OWNER_PID = 40;

    static final int ECS_FREE = 0;
    static final int ECS_UNBOUND = 2;
    static final int ECS_INTERDOMAIN = 3;

    static final int BIT_PENDING = 1;
    static final int BIT_MASKED = 2;

    private DomainLayout() {
    }

    static int activeOffset(int ref) {
        return HEADER_SIZE + ref * ACTIVE_SIZE;
    }

    static int portsStart(int grantEntries) {
        int end = HEADER_SIZE + grantEntries * ACTIVE_SIZE;
        return (end + PORT_SIZE - 1) / PORT_SIZE * PORT_SIZE;
    }

    static long fileSize(int grantEntries, int ports) {
        return portsStart(grantEntries) + (long) ports * PORT_SIZE;
    }
}
