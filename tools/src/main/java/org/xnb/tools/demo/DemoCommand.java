package org.xnb.tools.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnb.harness.hypervisor.ScratchDirectory;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.tools.xenstore.XenstoreCommand;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.WatchEvent;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreException;
import org.xnb.xenstore.XsError;
import org.xnb.xenstore.XsPermissions;
import org.xnb.xenstore.XsWatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xnb demo}: a short tour on the harness. Starts the harness xenstored on a temporary
 * socket, plays the toolstack and a backend with xnb's client (a vif's nodes written the way
 * libxl writes them, with their permissions, and a watch that sees them), lets a guest-bound
 * connection try its own and someone else's nodes, races two transactions, lists the tree with
 * Debian's {@code xenstore-ls -fp} and with {@code xnb xenstore ls -fp}, and stops cleanly.
 * Later issues grow it into the whole system. Its last line says whether everything worked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A short tour of xnb on the harness (no Xen needed).",
        footer = {"", "Example:", "  bin/xnb demo"})
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final int GUEST = 1;
    private static final String BACKEND = "/local/domain/0/backend/vif/" + GUEST + "/0";
    private static final String FRONTEND = "/local/domain/" + GUEST + "/device/vif/0";

    @CommandLine.Option(names = "--keep", description = "Keep the temporary directory (prints its path).")
    boolean keep;

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private int step;

    public DemoCommand() {
        this(System.out);
    }

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        ScratchDirectory dir = new ScratchDirectory(null, "xnb-demo-");
        Path socket = dir.path().resolve("xenstored.sock");
        try (XenstoredServer server = XenstoredServer.start(socket)) {
            step("harness xenstored listening on " + socket);
            try (XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(socket))) {
                tour(server, socket, dom0);
            }
        } catch (RuntimeException | IOException e) {
            failures.add("unexpected: " + e);
        } finally {
            if (keep) {
                out.println("kept " + dir.path());
            } else {
                dir.close();
            }
        }
        out.println();
        if (failures.isEmpty()) {
            out.println("demo: OK - every step worked");
            return 0;
        }
        out.println("demo: FAILED - " + String.join("; ", failures));
        return 1;
    }

    private void tour(XenstoredServer server, Path socket, XenstoreClient dom0) throws Exception {
        // the ring frame and event channel are not used by the harness, but C xenstored needs port > 0
        dom0.introduce(GUEST, 0x1000, 1);
        step("dom0 introduced domain " + GUEST + ": " + dom0.getDomainPath(GUEST)
                + " exists=" + dom0.exists("/local/domain/" + GUEST)
                + ", guest socket " + server.domainSocketPath(GUEST).getFileName());

        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>(1024);
        try (XsWatch watch = dom0.watch("/local/domain/0/backend/vif", "backend", events::offer)) {
            expectEvent(events, "/local/domain/0/backend/vif", "a new watch fires once at once");

            // The toolstack's part, as libxl writes it: each directory first gets its
            // permissions, so the keys created below inherit them; the frontend's state last.
            AtomicInteger attempts = new AtomicInteger();
            dom0.transaction(tx -> {
                attempts.incrementAndGet();
                tx.mkdir(BACKEND);
                tx.setPermissions(BACKEND, XsPermissions.parse("n0 r" + GUEST));
                tx.write(BACKEND + "/frontend", FRONTEND);
                tx.write(BACKEND + "/frontend-id", Integer.toString(GUEST));
                tx.write(BACKEND + "/online", "1");
                tx.write(BACKEND + "/state", "1");
                tx.write(BACKEND + "/handle", "0");
                tx.write(BACKEND + "/mac", "00:16:3e:00:00:01");
                tx.write(BACKEND + "/type", "vif");
                tx.mkdir("/local/domain/" + GUEST + "/device/vif");
                tx.setPermissions("/local/domain/" + GUEST + "/device/vif", XsPermissions.parse("n0 r" + GUEST));
                tx.mkdir(FRONTEND);
                tx.setPermissions(FRONTEND, XsPermissions.parse("n" + GUEST + " r0"));
                tx.write(FRONTEND + "/backend", BACKEND);
                tx.write(FRONTEND + "/backend-id", "0");
                tx.write(FRONTEND + "/handle", "0");
                tx.write(FRONTEND + "/mac", "00:16:3e:00:00:01");
                tx.write(FRONTEND + "/state", "1");
                return null;
            });
            step("toolstack wrote vif " + GUEST + "/0 in one transaction (" + attempts.get() + " attempt)");
            expectEvent(events, BACKEND, "the backend's watch saw the new vif");
        }

        try (XenstoreClient guest = XenstoreClient.connect(
                UnixSocketTransport.connect(server.domainSocketPath(GUEST)))) {
            guest.write("device/vif/0/tx-ring-ref", "8");
            guest.write("device/vif/0/state", "4");
            step("guest " + GUEST + " wrote its own nodes with relative paths: state="
                    + dom0.readString(FRONTEND + "/state") + ", tx-ring-ref=" + dom0.readString(FRONTEND + "/tx-ring-ref"));
            step("guest reads its backend's mac (n0 r" + GUEST + "): " + guest.readString(BACKEND + "/mac"));
            expectError(() -> guest.write(BACKEND + "/state", "4"), XsError.EACCES,
                    "guest writing the backend's state");
            expectError(() -> guest.readString("/local/domain/0/name-of-nothing"), XsError.EACCES,
                    "guest probing dom0's home");
        }

        // Two transactions touch the same node: the second commit must fail with EAGAIN.
        int t1 = dom0.transactionStart();
        int t2 = dom0.transactionStart();
        dom0.inTransaction(t1).write(BACKEND + "/state", "2");
        dom0.inTransaction(t2).write(BACKEND + "/state", "5");
        dom0.transactionEnd(t1, true);
        expectError(() -> dom0.transactionEnd(t2, true), XsError.EAGAIN, "the conflicting transaction");
        step("backend state is now " + dom0.readString(BACKEND + "/state") + " (InitWait)");

        String ours = ourLs(socket);
        step("xnb xenstore ls -fp /local/domain:");
        out.print(ours.indent(4));
        String theirs = debianLs(socket);
        if (theirs == null) {
            step("Debian's xenstore-ls is not installed (apt-get install xenstore-utils) - skipped");
        } else if (theirs.equals(ours)) {
            step("Debian's xenstore-ls -fp prints the same " + ours.lines().count() + " lines");
        } else {
            failures.add("xenstore-ls differs from xnb xenstore ls");
            out.print(theirs.indent(4));
        }

        dom0.release(GUEST);
        step("released domain " + GUEST + "; stopping xenstored");
    }

    private String ourLs(Path socket) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("XENSTORED_PATH", socket.toString());
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int rc = XenstoreCommand.commandLine(new XenstoreCommand(env, ps, ps))
                .execute("ls", "-f", "-p", "/local/domain");
        if (rc != 0) {
            failures.add("xnb xenstore ls exited " + rc);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private String debianLs(Path socket) throws IOException, InterruptedException {
        Path tool = Path.of("/usr/bin/xenstore-ls");
        if (!Files.isExecutable(tool)) {
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(tool.toString(), "-f", "-p", "/local/domain").redirectErrorStream(true);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            failures.add("xenstore-ls did not finish");
        } else if (p.exitValue() != 0) {
            failures.add("xenstore-ls exited " + p.exitValue());
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private void expectEvent(LinkedBlockingQueue<WatchEvent> events, String path, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            WatchEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.path().startsWith(path)) {
                step(what + ": event " + e.path() + " (token " + e.token() + ")");
                return;
            }
        }
        failures.add("no watch event for " + path);
    }

    private void expectError(Runnable op, XsError expected, String what) {
        try {
            op.run();
            failures.add(what + " succeeded, expected " + expected);
        } catch (XenstoreException e) {
            if (e.error() == expected) {
                step(what + " -> " + e.wireName() + " (as it should)");
            } else {
                failures.add(what + " gave " + e.wireName() + ", expected " + expected);
            }
        }
    }

    private void step(String text) {
        out.printf("%2d. %s%n", ++step, text);
    }
}
