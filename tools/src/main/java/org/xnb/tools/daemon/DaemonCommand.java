package org.xnb.tools.daemon;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.agrona.concurrent.SystemNanoClock;
import org.xnb.grant.Hypervisor;
import org.xnb.grant.xen.XenHypervisor;
import org.xnb.harness.hypervisor.HarnessDirectory;
import org.xnb.harness.hypervisor.HarnessHypervisor;
import org.xnb.netback.Clock;
import org.xnb.netback.link.HostBridges;
import org.xnb.netback.link.LinkSpec;
import org.xnb.netback.link.Links;
import org.xnb.netback.vif.NetbackService;
import org.xnb.netback.vif.VifBackend;
import org.xnb.netback.vif.RateHook;
import org.xnb.tools.admin.AdminDispatcher;
import org.xnb.tools.admin.AdminServer;
import org.xnb.tools.admin.AdminSocketPath;
import org.xnb.vnic.lane.LaneScheduler;
import org.xnb.vnic.lane.PollingPolicy;
import org.xnb.vnic.stat.CountersFile;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb daemon}: netback for one backend domain, in the foreground until SIGTERM/SIGINT.
 *
 * <pre>
 *  xenstore (harness socket | xs_open rules) --> NetbackService --> a lane per vif (LaneScheduler:
 *                                                                   --threads, --counters FILE)
 *  hypervisor (HarnessHypervisor | XenHypervisor)                      | bridge key
 *                                                    Links: name -> LearningSwitch [+ TAP uplink]
 * </pre>
 *
 * Start: hypervisor, xenstore, declared links, the service (which watches xenstore), then the
 * ready file. Stop (a signal): every vif Closing -> Closed with its rings unmapped and ports
 * unbound, the links (TAP devices removed), xenstore, the hypervisor, the ready and pid files;
 * exit 0.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run netback in the foreground: serve every vif of the backend domain, each on the link "
                + "its xenstore 'bridge' key names (default " + Links.DEFAULT_LINK + ").",
                "A link not declared with --link is a TAP port on the Linux bridge of that name if one exists "
                        + "here, else an in-process switch (etherstub).",
                "SIGTERM/SIGINT: every vif closed (backend Closing, Closed), TAP devices removed, exit 0.",
                "The xenstore connection lost: every vif unmapped and unbound (xenstore untouched), exit 3."},
        footer = {"", "Examples:",
                "  bin/xnb daemon      (real Xen: vifs with bridge=xenbr0 join dom0's bridge xenbr0)",
                "  bin/xnb daemon --harness /dev/shm/h --ready-file /dev/shm/h/xnb.ready \\",
                "      --link xenbr0=tap,netns=xnb-dom0,address=198.18.0.1/24 &",
                "  bin/xnb attach --harness /dev/shm/h --domain 5",
                "  bin/xnb daemon --config /etc/xnb/xnb.conf   (then: bin/xnb create-etherstub stub0, kept across restarts)",
                "  bin/xnb daemon --usage-interval 10 --metrics-port 9124   (then: bin/xnb show-usage; "
                        + "curl http://127.0.0.1:9124/metrics)"})
public final class DaemonCommand implements Callable<Integer> {
    private static final Logger LOG = System.getLogger("org.xnb.tools.daemon");
    /** Exit code when the xenstore connection goes (a supervisor should restart us). */
    static final int XENSTORE_LOST = 3;
    private static final long XENSTORE_CHECK_MS = 500;
    /** Where dlstat looks by default on real Xen. */
    public static final String DEFAULT_COUNTERS = "/run/xnb/counters";

    @Option(names = "--harness", paramLabel = "DIR",
            description = "Run on the test harness in DIR (DIR/xenstored.sock and its simulated hypervisor) "
                    + "instead of real Xen.")
    Path harness;

    @Option(names = "--domid", paramLabel = "N", defaultValue = "0",
            description = "The backend domain (default ${DEFAULT-VALUE}).")
    int domid;

    @Option(names = "--link", paramLabel = "SPEC", converter = LinkSpecConverter.class,
            description = {"Declare a link (repeatable): " + LinkSpec.USAGE + "."})
    List<LinkSpec> links = new ArrayList<>();

    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "Written (atomically) once the daemon watches xenstore; removed at exit.")
    Path readyFile;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Our pid, written at start, removed at exit.")
    Path pidFile;

    @Option(names = "--keep-vifs",
            description = "On stop, leave the vifs' xenstore state as it is (no Closing/Closed) so a daemon "
                    + "started again re-attaches to the live rings.")
    boolean keepVifs;

    @Option(names = "--threads", paramLabel = "MODE", converter = LaneThreads.Converter.class,
            defaultValue = "dedicated", description = "Threads for the vifs' lanes: " + LaneThreads.USAGE + ".")
    LaneThreads threads;

    @Option(names = "--counters", paramLabel = "FILE",
            description = "The lanes' counters file, read by 'xnb dlstat' (default " + DEFAULT_COUNTERS
                    + "; with --harness DIR, DIR/counters).")
    Path counters;

    @Option(names = "--admin-socket", paramLabel = "PATH",
            description = "The admin socket for show-vnic, show-linkprop, set-linkprop ... (root's, mode 0600; default "
                    + AdminSocketPath.DEFAULT + "; with --harness DIR, DIR/" + AdminSocketPath.HARNESS_FILE + ").")
    Path adminSocket;

    @Option(names = "--usage-journal", paramLabel = "DIR",
            description = "Usage accounting: each link's bytes, packets and drops per interval are appended to this "
                    + "Chronicle Queue journal, read by 'xnb show-usage' (default "
                    + org.xnb.tools.usage.ShowUsageCommand.DEFAULT_JOURNAL + "; with --harness DIR, DIR/usage).")
    Path usageJournal;

    @Option(names = "--usage-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between usage records (default ${DEFAULT-VALUE}; 0: no usage accounting).")
    int usageInterval;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Serve every lane counter in Prometheus text format on http://127.0.0.1:PORT/metrics "
                    + "(localhost only; default ${DEFAULT-VALUE}: no endpoint).")
    int metricsPort;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The persistent configuration: etherstubs, VNICs, link properties and flows made by the "
                    + "admin commands, made again at start (default " + DEFAULT_CONFIG + "; with --harness DIR, "
                    + "DIR/xnb.conf). A corrupt file is reported and its last good copy FILE.bak used.")
    Path config;

    /** Where the configuration lives by default on a real host. */
    public static final String DEFAULT_CONFIG = "/var/lib/xnb/xnb.conf";

    @Option(names = "--max-queues", paramLabel = "N",
            description = "multi-queue-max-queues offered to guests: each queue of a vif is a lane "
                    + "(default: the CPUs this process may use; 1.." + VifBackend.MAX_QUEUES_LIMIT + ").")
    Integer maxQueues;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** multi-queue-max-queues, also the queues of every tap link's TAP (a dom0 uplink thread each). */
    private int queuesOffered() {
        return maxQueues != null ? maxQueues : VifBackend.defaultMaxQueues();
    }

    /** The harness must be made (hypervisor file) with the backend domain in it, and its xenstored running. */
    private void checkHarness() {
        try (HarnessDirectory h = HarnessDirectory.open(harness)) {
            if (!h.domainExists(domid)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--harness " + harness
                        + " has no domain " + domid + " (the backend domain must be created in the harness first)");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--harness: " + e.getMessage());
        }
        if (!Files.exists(harness.resolve(Dom0Xenstore.HARNESS_SOCKET))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--harness " + harness + " has no "
                    + Dom0Xenstore.HARNESS_SOCKET + " (start its xenstored first)");
        }
    }

    @Override
    public Integer call() throws Exception {
        LogFormat.oneLine();
        if (domid < 0 || domid >= 0x7ff0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--domid must be a domain id 0.." + (0x7ff0 - 1) + ", not " + domid);
        }
        if (config != null && Files.isDirectory(config)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config
                    + " is a directory; give the configuration file's path, e.g. " + config.resolve("xnb.conf"));
        }
        if (maxQueues != null && (maxQueues < 1 || maxQueues > VifBackend.MAX_QUEUES_LIMIT)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-queues must be 1.."
                    + VifBackend.MAX_QUEUES_LIMIT + " (queues a guest may use per vif), not " + maxQueues);
        }
        if (harness != null && !Files.isDirectory(harness)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--harness " + harness + " is not a directory (make one with the test harness)");
        }
        if (harness != null) {
            checkHarness();
        }
        Path usagePath = usageJournal != null ? usageJournal
                : harness != null ? harness.resolve("usage") : Path.of(org.xnb.tools.usage.ShowUsageCommand.DEFAULT_JOURNAL);
        String countersProblem = CounterServices.problem(usagePath, usageInterval, metricsPort);
        if (countersProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), countersProblem);
        }
        StopSignals signals = new StopSignals().install();
        int exit = 0;
        if (pidFile != null) {
            ReadyFile.write(pidFile, ProcessHandle.current().pid() + "\n");
        }
        Path configPath = config != null ? config
                : harness != null ? harness.resolve("xnb.conf") : Path.of(DEFAULT_CONFIG);
        Path countersPath = counters != null ? counters
                : harness != null ? harness.resolve("counters") : Path.of(DEFAULT_COUNTERS);
        try (Hypervisor hypervisor = harness != null ? new HarnessHypervisor(harness, domid) : new XenHypervisor();
                XenstoreClient xs = Dom0Xenstore.open(harness);
                Links opened = Links.open(links, HostBridges.IPROUTE, queuesOffered());
                CountersFile laneCounters = CountersFile.create(countersPath, LaneThreads.countersCapacity());
                LaneScheduler lanes = new LaneScheduler(threads.mode(), laneCounters,
                        PollingPolicy.fromSystemProperties(), SystemNanoClock.INSTANCE, threads.threads());
                CounterServices counterServices = CounterServices.start(countersPath, usagePath, usageInterval,
                        metricsPort)) {
            Persistence.Loaded configuration = Persistence.load(configPath, opened); // etherstubs before any vif
            NetbackService service = NetbackService.start(xs, hypervisor, domid, opened, Clock.SYSTEM, RateHook.NONE,
                    lanes, queuesOffered());
            Persistence persistence = configuration.start(lanes, service);
            Path adminPath = adminSocket != null ? adminSocket
                    : harness != null ? harness.resolve(AdminSocketPath.HARNESS_FILE) : Path.of(AdminSocketPath.DEFAULT);
            AdminServer admin = null;
            try {
                admin = AdminServer.start(adminPath, new AdminDispatcher(persistence.links(), persistence.configured()));
                if (readyFile != null) {
                    ReadyFile.write(readyFile, ProcessHandle.current().pid() + "\n");
                }
                LOG.log(Level.INFO, "xnb daemon ready: backend domain {0}, {1}, links {2}, lanes {3}, counters {4},"
                        + " admin socket {5}", domid, harness != null ? "harness " + harness : "real Xen",
                        opened.links().keySet(), threads, countersPath, adminPath);
                String why = null;
                while (why == null && xs.isOpen()) {
                    why = signals.await(XENSTORE_CHECK_MS);
                }
                if (why == null) {
                    // nothing can be written any more: unmap and unbind, leave xenstore as it is
                    LOG.log(Level.ERROR, "xnb daemon stopping: the xenstore connection is lost");
                    exit = XENSTORE_LOST;
                } else {
                    LOG.log(Level.INFO, "xnb daemon stopping ({0})", why);
                }
            } finally {
                if (admin != null) {
                    admin.close();
                }
                counterServices.close(); // the last usage interval, while the vifs' counters are still there
                persistence.close(); // VNICs made by command: their TAP devices go
                if (keepVifs || !xs.isOpen()) {
                    service.close();
                } else {
                    service.shutdown();
                }
            }
        } finally {
            ReadyFile.delete(readyFile);
            ReadyFile.delete(pidFile);
        }
        LOG.log(Level.INFO, "xnb daemon stopped");
        return exit;
    }
}
