package org.xnb.vnic.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;
import org.xnb.vnic.tap.IpLink;

/**
 * A named network namespace ({@code ip netns add}) for a test: commands run inside it with
 * {@code ip netns exec}, with a timeout; close() kills whatever still runs inside and deletes it.
 * Only names of the fixture's form ({@link TestNames#NAMESPACE}, {@code xnb-...}) are accepted,
 * so a test can never touch a namespace it did not make.
 */
public final class NetNs implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private volatile boolean closed;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates {@code xnb-<tag>-<pid>-<seq>}; prefer {@link NetFixture#namespace(String)}, which also cleans up. */
    public static NetNs create(String tag) {
        RequireRoot.check();
        String name = TestNames.namespace(tag);
        CommandResult r = Commands.run(DEFAULT_TIMEOUT, "ip", "netns", "add", name);
        if (!r.ok()) {
            throw new IllegalStateException("cannot create network namespace: " + r.describe());
        }
        NetNs ns = new NetNs(name);
        ns.execOk("ip", "link", "set", "dev", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and returns how it ended (it is killed on timeout). */
    public CommandResult exec(Duration timeout, String... command) {
        return Commands.run(timeout, inside(List.of(command)));
    }

    /** Runs a command inside with the default timeout and fails the test unless it exits 0. */
    public String execOk(String... command) {
        CommandResult r = exec(DEFAULT_TIMEOUT, command);
        if (!r.ok()) {
            throw new AssertionError("in " + name + ": " + r.describe() + (r.stdout().isBlank() ? "" : "\n" + r.stdout()));
        }
        return r.stdout();
    }

    /** Starts a long-running command inside; the caller (or {@link NetFixture#start}) closes it. */
    public BackgroundProcess start(String... command) {
        return BackgroundProcess.start(inside(List.of(command)));
    }

    /** Adds an address from 198.18.0.0/15 to {@code dev} inside the namespace. */
    public void addAddress(String dev, String cidr) {
        execOk("ip", "address", "add", TestAddresses.check(cidr), "dev", dev);
    }

    /** The interface {@code dev} as seen in this namespace. */
    public IpLink link(String dev) {
        return IpLink.inNamespace(dev, name);
    }

    /** Pids of processes running in the namespace ({@code ip netns pids}). */
    public List<Long> pids() {
        CommandResult r = Commands.run(DEFAULT_TIMEOUT, "ip", "netns", "pids", name);
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.stdout().split("\\s+")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    private List<String> inside(List<String> command) {
        if (closed) {
            throw new IllegalStateException("namespace " + name + " is deleted");
        }
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(command);
        return argv;
    }

    /** Kills what runs inside, then deletes the namespace. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        delete(name);
    }

    /** Kills the processes in a namespace and deletes it; used by close() and the stale sweep. */
    static void delete(String name) {
        if (!TestNames.NAMESPACE.matcher(name).matches()) {
            throw new IllegalArgumentException("refusing to delete a namespace the fixture did not name: " + name);
        }
        CommandResult pids = Commands.run(DEFAULT_TIMEOUT, "ip", "netns", "pids", name);
        if (pids.ok()) {
            for (String p : pids.stdout().split("\\s+")) {
                if (!p.isBlank()) {
                    ProcessHandle.of(Long.parseLong(p.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        CommandResult r = Commands.run(DEFAULT_TIMEOUT, "ip", "netns", "delete", name);
        if (!r.ok()) {
            throw new IllegalStateException("cannot delete network namespace: " + r.describe());
        }
    }

    /** Whether a namespace of this name exists now. */
    public static boolean exists(String name) {
        CommandResult r = Commands.run(DEFAULT_TIMEOUT, "ip", "netns", "list");
        for (String line : r.stdout().split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length > 0 && words[0].equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
