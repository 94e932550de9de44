package org.xnb.harness.hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.XenPage;

/**
 * The directory every process of one simulated Xen host shares: the hypervisor's own file, one
 * directory per domain, and the doorbell FIFOs of event-channel handles.
 *
 * <pre>
 *  &lt;dir&gt;/hypervisor              magic u32 | version u32 | global lock u32 | pad | next handle id u64
 *  &lt;dir&gt;/domains/&lt;domid&gt;/memory      the guest's pages
 *  &lt;dir&gt;/domains/&lt;domid&gt;/grant-table grant_entry_v1[]
 *  &lt;dir&gt;/domains/&lt;domid&gt;/state       {@link DomainLayout}
 *  &lt;dir&gt;/doorbells/&lt;handle&gt;         FIFO of ports delivered to one event-channel handle
 * </pre>
 *
 * A domain directory is filled under a temporary name and renamed into place, so another
 * process sees a domain either complete or not at all. One instance per process (it caches the
 * mapped domains); thread-safe.
 */
public final class HarnessDirectory implements AutoCloseable {
    /** Domain ids at and above DOMID_FIRST_RESERVED (0x7FF0) are not domains. */
    public static final int DOMID_LIMIT = 0x7ff0;
    static final int ROOT_MAGIC = 0x584e4248; // "XNBH"
    static final int ROOT_SIZE = 64;
    static final int ROOT_LOCK = 8;
    static final int ROOT_NEXT_HANDLE = 16;
    private static final int VERSION = 1;

    private final Path dir;
    private final MappedFile root;
    private final AtomicReferenceArray<HarnessDomain> domains = new AtomicReferenceArray<>(DOMID_LIMIT);
    private volatile boolean closed;

    private HarnessDirectory(Path dir, MappedFile root) {
        this.dir = dir;
        this.root = root;
    }

    /** Creates a new harness in {@code dir} (made if missing; it must not hold a harness already). */
    public static HarnessDirectory create(Path dir) {
        if (Files.exists(dir.resolve("hypervisor"))) {
            throw new IllegalStateException(dir + " already holds a harness");
        }
        try {
            Files.createDirectories(dir.resolve("domains"));
            Files.createDirectories(dir.resolve("doorbells"));
            Path tmp = Files.createTempFile(dir, ".hypervisor", ".tmp");
            try (MappedFile f = MappedFile.create(tmp, ROOT_SIZE)) {
                f.buffer().putInt(4, VERSION);
                f.buffer().putLong(ROOT_NEXT_HANDLE, 1);
                f.buffer().putIntVolatile(0, ROOT_MAGIC);
            }
            Files.move(tmp, dir.resolve("hypervisor"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("create harness in " + dir, e);
        }
        return open(dir);
    }

    /** Opens a harness another process created. */
    public static HarnessDirectory open(Path dir) {
        Path file = dir.resolve("hypervisor");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a harness directory (no " + file.getFileName() + ")");
        }
        MappedFile root = MappedFile.open(file, ROOT_SIZE);
        if (root.buffer().getIntVolatile(0) != ROOT_MAGIC) {
            root.close();
            throw new IllegalArgumentException(file + " is not a harness hypervisor file");
        }
        return new HarnessDirectory(dir, root);
    }

    public Path path() {
        return dir;
    }

    /**
     * Creates domain {@code domid} with {@code pages} pages of memory, {@code grantEntries} grant
     * refs and {@code ports} event-channel ports (port 0 is never used, as in Xen).
     */
    public void createDomain(int domid, int pages, int grantEntries, int ports) {
        checkDomid(domid);
        if (pages < 0 || pages > Integer.MAX_VALUE / XenPage.SIZE || grantEntries < 0 || grantEntries > 1 << 20
                || ports < 2 || ports > 1 << 16) {
            throw new IllegalArgumentException("domain " + domid + ": pages " + pages + ", grant entries "
                    + grantEntries + ", ports " + ports);
        }
        Path target = domainDir(domid);
        if (Files.exists(target)) {
            throw new IllegalStateException("domain " + domid + " already exists in " + dir);
        }
        try {
            Path tmp = Files.createTempDirectory(dir.resolve("domains"), ".new-" + domid + "-");
            MappedFile.create(tmp.resolve(HarnessDomain.MEMORY), (long) pages * XenPage.SIZE).close();
            MappedFile.create(tmp.resolve(HarnessDomain.GRANT_TABLE), (long) grantEntries * GrantEntryV1.SIZE).close();
            try (MappedFile state = MappedFile.create(tmp.resolve(HarnessDomain.STATE),
                    DomainLayout.fileSize(grantEntries, ports))) {
                UnsafeBuffer s = state.buffer();
                s.putInt(DomainLayout.PAGES_OFFSET, pages);
                s.putInt(DomainLayout.GRANT_ENTRIES_OFFSET, grantEntries);
                s.putInt(DomainLayout.PORTS_OFFSET, ports);
                s.putIntVolatile(DomainLayout.MAGIC_OFFSET, DomainLayout.MAGIC);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("create domain " + domid + " in " + dir, e);
        }
    }

    public boolean domainExists(int domid) {
        return domid >= 0 && domid < DOMID_LIMIT && Files.isDirectory(domainDir(domid));
    }

    /** The mapped domain, or null if there is no such domain. No allocation once mapped. */
    HarnessDomain domain(int domid) {
        if (domid < 0 || domid >= DOMID_LIMIT) {
            return null;
        }
        HarnessDomain d = domains.get(domid);
        return d != null ? d : map(domid);
    }

    /** The mapped domain; an {@link IllegalArgumentException} naming it if it does not exist. */
    HarnessDomain requireDomain(int domid) {
        HarnessDomain d = domain(domid);
        if (d == null) {
            throw new IllegalArgumentException("no domain " + domid + " in harness " + dir);
        }
        return d;
    }

    private synchronized HarnessDomain map(int domid) {
        if (closed) {
            throw new IllegalStateException("harness directory closed");
        }
        HarnessDomain d = domains.get(domid);
        if (d != null || !domainExists(domid)) {
            return d;
        }
        Path dd = domainDir(domid);
        try {
            MappedFile state = MappedFile.open(dd.resolve(HarnessDomain.STATE), Files.size(dd.resolve(HarnessDomain.STATE)));
            int pages = state.buffer().getInt(DomainLayout.PAGES_OFFSET);
            int entries = state.buffer().getInt(DomainLayout.GRANT_ENTRIES_OFFSET);
            d = new HarnessDomain(domid, MappedFile.open(dd.resolve(HarnessDomain.MEMORY), (long) pages * XenPage.SIZE),
                    MappedFile.open(dd.resolve(HarnessDomain.GRANT_TABLE), (long) entries * GrantEntryV1.SIZE), state);
        } catch (IOException e) {
            throw new UncheckedIOException("map domain " + domid, e);
        }
        domains.set(domid, d);
        return d;
    }

    /** A new id for an event-channel handle, unique across every process of this harness. */
    int nextHandleId() {
        long id = root.buffer().getAndAddLong(ROOT_NEXT_HANDLE, 1);
        if (id >= Integer.MAX_VALUE) {
            throw new IllegalStateException("harness ran out of handle ids");
        }
        return (int) id;
    }

    /** Serializes port state changes (alloc, bind, unbind) across processes. */
    void lockPorts() {
        SharedLock.lock(root.buffer(), ROOT_LOCK);
    }

    void unlockPorts() {
        SharedLock.unlock(root.buffer(), ROOT_LOCK);
    }

    Path doorbell(int handleId) {
        return dir.resolve("doorbells").resolve(Integer.toString(handleId));
    }

    private Path domainDir(int domid) {
        return dir.resolve("domains").resolve(Integer.toString(domid));
    }

    private static void checkDomid(int domid) {
        if (domid < 0 || domid >= DOMID_LIMIT) {
            throw new IllegalArgumentException("domid must be 0.." + (DOMID_LIMIT - 1) + ": " + domid);
        }
    }

    /** Unmaps every domain this process mapped; handles opened on it must be closed first. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < DOMID_LIMIT; i++) {
            HarnessDomain d = domains.getAndSet(i, null);
            if (d != null) {
                d.close();
            }
        }
        root.close();
    }
}
