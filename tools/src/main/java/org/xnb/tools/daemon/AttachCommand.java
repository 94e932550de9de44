package org.xnb.tools.daemon;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xnb.netback.xenbus.RateLimit;
import org.xnb.netback.xenbus.VifConfig;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.netback.xenbus.XenbusState;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb attach}: adds a vif to a guest the way libxl does ({@link VifNodes}) and, like libxl,
 * waits for the backend (the daemon) to answer with InitWait; if it does not, the nodes are
 * removed again and the attach fails.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Add a vif to a guest (libxl's xenstore nodes), served by the running xnb daemon.",
                "Prints: vif<domain>.<devid> mac <mac> link <link>"},
        footer = {"", "Examples:",
                "  bin/xnb attach --domain 5          (real Xen: first free devid, random MAC)",
                "  bin/xnb attach --harness /dev/shm/h --domain 5 --link xenbr0 \\",
                "      --rate 125000,20000"})
public final class AttachCommand implements Callable<Integer> {

    @Option(names = "--harness", paramLabel = "DIR", description = "The test harness in DIR instead of real Xen.")
    Path harness;

    @Option(names = "--domain", required = true, paramLabel = "N", description = "The guest (frontend) domain.")
    int domain;

    @Option(names = "--devid", paramLabel = "D", description = "The vif number in the guest (default: the first free one).")
    Integer devid;

    @Option(names = "--mac", paramLabel = "M", description = "The guest's MAC (default 00:16:3e and 3 random bytes).")
    String mac;

    @Option(names = "--link", paramLabel = "L", description = "The link to join: written as the vif's 'bridge' key "
            + "(default: none written, the daemon uses xenbr0).")
    String link;

    @Option(names = "--rate", paramLabel = "R", description = "Tx credit as xenstore's rate key: BYTES,USEC "
            + "(e.g. 125000,20000 = 50 Mbit/s in 20 ms windows).")
    String rate;

    @Option(names = "--backend", paramLabel = "N", defaultValue = "0", description = "The backend domain (default ${DEFAULT-VALUE}).")
    int backend;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the backend's InitWait (default ${DEFAULT-VALUE}; 0 = do not wait).")
    int waitSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkArguments();
        Map<String, String> extra = new LinkedHashMap<>();
        if (link != null) {
            extra.put("bridge", link);
        }
        if (rate != null) {
            extra.put("rate", rate);
        }
        String theMac = mac != null ? mac.toLowerCase() : randomMac();
        try (XenstoreClient xs = Dom0Xenstore.open(harness)) {
            VifNodes nodes = new VifNodes(xs, backend);
            int d = devid != null ? devid : nodes.firstFreeDevid(domain);
            if (nodes.exists(domain, d)) {
                throw new IllegalArgumentException("vif" + domain + "." + d + " already exists ("
                        + nodes.backendPath(domain, d) + ")");
            }
            nodes.addVif(domain, d, theMac, extra);
            if (waitSeconds > 0 && !nodes.awaitBackendState(domain, d, XenbusState.INIT_WAIT, Duration.ofSeconds(waitSeconds))) {
                nodes.removeVif(domain, d);
                spec.commandLine().getErr().println("attach: the backend did not reach InitWait within " + waitSeconds
                        + " s (is the xnb daemon running for domain " + backend + "?); nodes removed");
                return 1;
            }
            spec.commandLine().getOut().println("vif" + domain + "." + d + " mac " + theMac + " link "
                    + (link != null ? link : "xenbr0"));
        }
        return 0;
    }

    private void checkArguments() {
        if (domain <= 0 || domain >= 0x7ff0) {
            bad("--domain must be a guest domain 1.." + (0x7ff0 - 1) + ", not " + domain);
        }
        if (devid != null && devid < 0) {
            bad("--devid must be 0 or more, not " + devid);
        }
        if (mac != null && (!VifConfig.isMac(mac) || (Integer.parseInt(mac.substring(0, mac.indexOf(':')), 16) & 1) != 0)) {
            bad("--mac must be a unicast MAC like 00:16:3e:12:34:56, not '" + mac + "'");
        }
        if (link != null && !link.matches("[A-Za-z0-9_.:-]{1,64}")) {
            bad("--link must be a link name (1-64 of A-Z a-z 0-9 _ . : -), not '" + link + "'");
        }
        if (rate != null) {
            try {
                RateLimit.parse(rate);
            } catch (IllegalArgumentException e) {
                bad("--rate must be BYTES,USEC (two unsigned numbers), not '" + rate + "'");
            }
        }
        if (waitSeconds < 0) {
            bad("--wait must be 0 or more seconds");
        }
    }

    private void bad(String message) {
        throw new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Xen's OUI and three random bytes (what libxl does when no MAC is given). */
    static String randomMac() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return String.format("00:16:3e:%02x:%02x:%02x", b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
    }
}
