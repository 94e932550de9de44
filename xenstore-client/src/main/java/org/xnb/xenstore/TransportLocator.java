package org.xnb.xenstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds xenstored the way libxenstore 4.17 does in {@code xs_open()} (tools/libs/store/xs.c):
 *
 * <ol>
 *   <li>{@code get_handle(xs_daemon_socket())}: the daemon path is {@code $XENSTORED_PATH}
 *       if set, else {@code xs_daemon_rundir() + "/socket"}, where the rundir is
 *       {@code $XENSTORED_RUNDIR} or {@code /var/run/xenstored} ({@code XEN_RUN_STORED}).</li>
 *   <li>if that fails, {@code get_handle(xs_domain_dev())}: {@code $XENSTORED_PATH} if set,
 *       else (Linux) {@code /dev/xen/xenbus} if it exists ({@code access(F_OK)}), else
 *       {@code /proc/xen/xenbus}.</li>
 * </ol>
 *
 * {@code get_handle()} {@code stat()}s the path: a missing path fails that step; if
 * {@code S_ISSOCK} it connects a Unix stream socket, otherwise it opens the path
 * {@code O_RDWR} as a device. A failed connect or open also falls through to the next step.
 * The environment is passed in (not read from {@link System#getenv()}) so tests can steer it.
 */
public final class TransportLocator {
    /** {@code XEN_RUN_STORED} as Debian builds it. */
    public static final String DEFAULT_RUNDIR = "/var/run/xenstored";
    public static final String XENBUS_DEV = "/dev/xen/xenbus";
    public static final String PROC_XENBUS = "/proc/xen/xenbus";

    /** What {@code stat()} says about a path, reduced to what {@code get_handle()} needs. */
    public enum FileKind { MISSING, SOCKET, OTHER }

    /** The file-system questions the locator asks; replaced in tests. */
    public interface FileProbe {
        FileKind kind(Path path);

        /** Opens a transport of the given kind; the default connects or opens for real. */
        default XenstoreTransport open(Path path, FileKind kind) throws IOException {
            return kind == FileKind.SOCKET ? UnixSocketTransport.connect(path) : XenbusDeviceTransport.open(path);
        }
    }

    /** One step of {@code xs_open()}: the path and whether it is a socket or a device. */
    public record Candidate(Path path, FileKind kind) {
    }

    /** The real file system: {@code stat()} through the "unix" attribute view. */
    public static final FileProbe SYSTEM = path -> {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            // S_IFMT = 0170000, S_IFSOCK = 0140000
            return ((Integer) mode & 0170000) == 0140000 ? FileKind.SOCKET : FileKind.OTHER;
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(path)) {
                return FileKind.MISSING;
            }
            return Files.isRegularFile(path) || Files.isDirectory(path) ? FileKind.OTHER
                    : FileKind.SOCKET;
        } catch (IOException | IllegalArgumentException e) {
            return FileKind.MISSING;
        }
    };

    private TransportLocator() {
    }

    /** {@code xs_daemon_socket()}. */
    public static String daemonSocket(Map<String, String> env) {
        String p = env.get("XENSTORED_PATH");
        if (p != null) {
            return p;
        }
        String rundir = env.get("XENSTORED_RUNDIR");
        return (rundir != null ? rundir : DEFAULT_RUNDIR) + "/socket";
    }

    /** {@code xs_domain_dev()} on Linux. */
    public static String domainDev(Map<String, String> env, FileProbe probe) {
        String p = env.get("XENSTORED_PATH");
        if (p != null) {
            return p;
        }
        return probe.kind(Path.of(XENBUS_DEV)) != FileKind.MISSING ? XENBUS_DEV : PROC_XENBUS;
    }

    /**
     * The {@code get_handle()} attempts of {@code xs_open()} in order, leaving out paths that
     * {@code stat()} would not find.
     */
    public static List<Candidate> candidates(Map<String, String> env, FileProbe probe) {
        List<Candidate> out = new ArrayList<>(2);
        for (String p : List.of(daemonSocket(env), domainDev(env, probe))) {
            Path path = Path.of(p);
            FileKind kind = probe.kind(path);
            if (kind != FileKind.MISSING) {
                out.add(new Candidate(path, kind));
            }
        }
        return out;
    }

    /** {@code xs_open(0)}: the first candidate that connects or opens. */
    public static XenstoreTransport open(Map<String, String> env, FileProbe probe) throws IOException {
        List<Candidate> cands = candidates(env, probe);
        IOException last = null;
        for (Candidate c : cands) {
            try {
                return probe.open(c.path(), c.kind());
            } catch (IOException e) {
                last = e;
            }
        }
        String tried = daemonSocket(env) + ", " + domainDev(env, probe);
        if (last != null) {
            throw new IOException("cannot reach xenstored (tried " + tried + "): " + last.getMessage(), last);
        }
        throw new IOException("cannot reach xenstored: none of " + tried
                + " exists (set XENSTORED_PATH)");
    }

    /** {@link #open(Map, FileProbe)} with the process environment and the real file system. */
    public static XenstoreTransport open() throws IOException {
        return open(System.getenv(), SYSTEM);
    }
}
