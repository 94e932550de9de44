package org.xnb.harness.hypervisor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.XenPage;

/** A harness with a backend domain 0 and a guest domain 5, opened by both sides in this process. */
final class HarnessFixture implements AutoCloseable {
    static final int BACKEND = 0;
    static final int GUEST = 5;
    static final int PAGES = 16;
    static final int GRANTS = 64;
    static final int PORTS = 32;

    final Path dir;
    final HarnessGuest guest;
    final HarnessHypervisor backend;
    final HarnessAccount account;

    HarnessFixture(Path dir) {
        this.dir = dir;
        try (HarnessDirectory h = HarnessDirectory.create(dir)) {
            h.createDomain(BACKEND, 0, GRANTS, PORTS);
            h.createDomain(GUEST, PAGES, GRANTS, PORTS);
        }
        this.guest = new HarnessGuest(dir, GUEST);
        this.backend = new HarnessHypervisor(dir, BACKEND);
        this.account = new HarnessAccount(dir);
    }

    /** Fills a guest frame with bytes derived from the frame number. */
    void fillFrame(int frame) {
        for (int i = 0; i < XenPage.SIZE; i++) {
            guest.memory().putByte(HarnessGuest.frameOffset(frame) + i, pattern(frame, i));
        }
    }

    static byte pattern(int frame, int i) {
        return (byte) (frame * 31 + i * 7);
    }

    static UnsafeBuffer localPages(int pages) {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(pages * XenPage.SIZE));
    }

    @Override
    public void close() {
        account.close();
        backend.close();
        guest.close();
    }
}
