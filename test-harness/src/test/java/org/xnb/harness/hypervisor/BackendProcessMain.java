package org.xnb.harness.hypervisor;

import java.nio.file.Path;
import org.xnb.grant.EventChannel;

/**
 * A backend in its own JVM that binds one guest port, says so, and then waits to be killed: the
 * "kill -9 of the daemon" of {@link HarnessCrossProcessIT}.
 * Arguments: DIR BACKEND_DOMID GUEST_DOMID GUEST_PORT.
 */
public final class BackendProcessMain {
    private BackendProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        HarnessHypervisor xen = new HarnessHypervisor(Path.of(args[0]), Integer.parseInt(args[1]));
        EventChannel events = xen.openEventChannel();
        int port = events.bindInterdomain(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        System.out.println("bound " + port);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // never closes: only a kill ends it
    }
}
