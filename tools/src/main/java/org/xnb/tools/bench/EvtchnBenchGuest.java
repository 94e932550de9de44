package org.xnb.tools.bench;

import java.nio.file.Path;
import org.agrona.concurrent.AtomicBuffer;
import org.xnb.harness.hypervisor.HarnessEventChannel;
import org.xnb.harness.hypervisor.HarnessGuest;

/**
 * The guest half of {@link EvtchnBench}, run in its own JVM: grants frame 0, offers a port,
 * prints "ready PORT REF", then for each event records how long the backend's notify took to
 * wake it (the backend wrote its send time at offset 0) and answers at once.
 *
 * <pre>
 *  frame 0:  0 backend send time (ns)  |  8 guest send time (ns)  |  16 backend-to-guest latency (ns)
 * </pre>
 */
public final class EvtchnBenchGuest {
    static final int BACKEND_SENT = 0;
    static final int GUEST_SENT = 8;
    static final int TO_GUEST_NS = 16;
    private static final long TEN_SECONDS = 10_000_000_000L;

    private EvtchnBenchGuest() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int domid = Integer.parseInt(args[1]);
        int backend = Integer.parseInt(args[2]);
        long rounds = Long.parseLong(args[3]);
        boolean spin = Boolean.parseBoolean(args[4]);
        int rc;
        try (HarnessGuest guest = new HarnessGuest(dir, domid);
             HarnessEventChannel events = guest.openEventChannel()) {
            int ref = guest.grantAccess(0, backend, false);
            int port = events.allocateUnbound(backend);
            System.out.println("ready " + port + " " + ref);
            System.out.flush();
            AtomicBuffer page = guest.memory();
            rc = 0;
            for (long i = 0; i < rounds; i++) {
                if (EvtchnBench.await(events, port, spin, TEN_SECONDS) != port) {
                    System.out.println("no event in round " + i);
                    rc = 2;
                    break;
                }
                long woke = System.nanoTime();
                page.putLong(TO_GUEST_NS, woke - page.getLongVolatile(BACKEND_SENT));
                events.unmask(port);
                page.putLongVolatile(GUEST_SENT, System.nanoTime());
                events.notify(port);
            }
        }
        System.out.flush();
        System.exit(rc);
    }
}
