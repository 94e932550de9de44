package org.xnb.tools.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb detach}: removes a vif as libxl does ({@link VifNodes#remove}): {@code online=0} and
 * state Closing, a bounded wait for the backend's Closed, then both directories.
 */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = {"Remove a vif from a guest as libxl does: online=0 + Closing, wait for the backend's Closed, "
                + "remove the nodes."},
        footer = {"", "Examples:",
                "  bin/xnb detach --domain 5 --devid 0",
                "  bin/xnb detach --harness /dev/shm/h --domain 5 --devid 0"})
public final class DetachCommand implements Callable<Integer> {

    @Option(names = "--harness", paramLabel = "DIR", description = "The test harness in DIR instead of real Xen.")
    Path harness;

    @Option(names = "--domain", required = true, paramLabel = "N", description = "The guest (frontend) domain.")
    int domain;

    @Option(names = "--devid", required = true, paramLabel = "D", description = "The vif number in the guest.")
    int devid;

    @Option(names = "--backend", paramLabel = "N", defaultValue = "0", description = "The backend domain (default ${DEFAULT-VALUE}).")
    int backend;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the backend's Closed before removing anyway (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (waitSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait must be 0 or more seconds");
        }
        try (XenstoreClient xs = Dom0Xenstore.open(harness)) {
            VifNodes nodes = new VifNodes(xs, backend);
            if (!nodes.exists(domain, devid)) {
                throw new IllegalArgumentException("vif" + domain + "." + devid + " does not exist ("
                        + nodes.backendPath(domain, devid) + ")");
            }
            boolean closed = nodes.remove(domain, devid, Duration.ofSeconds(waitSeconds));
            if (!closed) {
                spec.commandLine().getErr().println("detach: the backend did not reach Closed within " + waitSeconds
                        + " s; nodes removed anyway");
            }
            spec.commandLine().getOut().println("vif" + domain + "." + devid + " detached");
        }
        return 0;
    }
}
