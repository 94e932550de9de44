package org.xnb.harness.hypervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A spin lock in shared memory, held only for a few loads and stores, taken by threads of
 * several processes. The lock word holds the holder's pid (0 = free), so that a lock left by a
 * process that died is taken over instead of hanging every test after it.
 */
final class SharedLock {
    static final int PID = (int) ProcessHandle.current().pid();
    private static final long STALE_AFTER_NS = 2_000_000_000L;
    private static final int SPINS = 1_000;

    private SharedLock() {
    }

    static void lock(AtomicBuffer buffer, int offset) {
        if (buffer.compareAndSetInt(offset, 0, PID)) {
            return;
        }
        long start = System.nanoTime();
        for (long attempt = 0; ; attempt++) {
            int holder = buffer.getIntVolatile(offset);
            if (holder == 0 && buffer.compareAndSetInt(offset, 0, PID)) {
                return;
            }
            if (attempt < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000);
                if (System.nanoTime() - start > STALE_AFTER_NS) {
                    if (holder != 0 && holder != PID && !Files.exists(Path.of("/proc/" + holder))
                            && buffer.compareAndSetInt(offset, holder, PID)) {
                        return;
                    }
                    if (System.nanoTime() - start > 10 * STALE_AFTER_NS) {
                        throw new IllegalStateException("harness lock held by live pid " + holder + " for 20 s");
                    }
                }
            }
        }
    }

    static void unlock(AtomicBuffer buffer, int offset) {
        buffer.putIntOrdered(offset, 0);
    }
}
