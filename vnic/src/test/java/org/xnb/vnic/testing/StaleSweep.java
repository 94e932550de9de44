package org.xnb.vnic.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;

/**
 * Removes what a crashed test run left behind: network namespaces and interfaces whose names
 * have the fixture's form ({@link TestNames}) and whose creating JVM is gone. Namespaces of a
 * test JVM still running (another build on this machine) and anything not named by the fixture
 * are left alone. Runs once per JVM before the first fixture is used.
 */
public final class StaleSweep {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private StaleSweep() {
    }

    /** Sweeps once per JVM; later calls do nothing. */
    public static void oncePerJvm() {
        if (DONE.compareAndSet(false, true)) {
            List<String> removed = sweep();
            if (!removed.isEmpty()) {
                System.err.println("xnb test fixture: removed stale " + String.join(", ", removed));
            }
        }
    }

    /** Sweeps now; returns what was removed ("netns NAME", "link NAME"). */
    public static List<String> sweep() {
        RequireRoot.check();
        List<String> removed = new ArrayList<>();
        for (String ns : namespaces()) {
            if (isStale(ns)) {
                NetNs.delete(ns);
                removed.add("netns " + ns);
            }
        }
        for (String link : links()) {
            if (isStale(link)) {
                CommandResult r = Commands.run(TIMEOUT, "ip", "link", "delete", "dev", link);
                if (r.ok()) {
                    removed.add("link " + link);
                }
            }
        }
        return removed;
    }

    /** A fixture name whose creator pid is not a running process. */
    static boolean isStale(String name) {
        long pid = TestNames.creatorPid(name);
        return pid > 0 && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    static List<String> namespaces() {
        CommandResult r = Commands.run(TIMEOUT, "ip", "netns", "list");
        if (!r.ok()) {
            throw new IllegalStateException(r.describe());
        }
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            // "name" or "name (id: 3)"
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    static List<String> links() {
        CommandResult r = Commands.run(TIMEOUT, "ip", "-o", "link", "show");
        if (!r.ok()) {
            throw new IllegalStateException(r.describe());
        }
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            // "12: name: <FLAGS> ..." or "12: name@peer: ..."
            String[] parts = line.split(":\\s*", 3);
            if (parts.length >= 2) {
                String name = parts[1].strip();
                int at = name.indexOf('@');
                names.add(at >= 0 ? name.substring(0, at) : name);
            }
        }
        return names;
    }
}
