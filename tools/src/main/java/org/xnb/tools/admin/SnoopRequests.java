package org.xnb.tools.admin;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xnb.netback.admin.CaptureAdmin;
import org.xnb.tools.capture.CaptureSession;

/**
 * snoop, the daemon's side: {@code snoop} opens a {@link CaptureSession} (a bounded ring the VNIC's
 * lane fills, a writer thread that drains it) writing the pcap file itself, taps the lane and
 * answers the session's ID; {@code snoop-status} and {@code snoop-stop} answer WRITTEN DROPPED DONE.
 * The daemon writes the file (both ends are root: the admin socket is root's) at the absolute path
 * the client resolved, so no frame crosses the socket.
 *
 * <p>A session ends after COUNT frames (the tap is removed at the client's next poll), when the
 * link goes away (its vif disconnected; DONE with a NOTE), at {@code snoop-stop}, or when its client has not polled for {@link #LEASE_MS} (it died): a session
 * never outlives its client by long.
 */
final class SnoopRequests {
    static final List<String> FIELDS = List.of("ID", "LINK", "FILE", "WRITTEN", "DROPPED", "DONE", "NOTE");
    static final long LEASE_MS = 10_000;
    /** At most this many bytes of ring per session (slots x snaplen). */
    static final long RING_BYTES = 32L << 20;
    static final int DEFAULT_SNAPLEN = 65535;
    private static final Logger LOG = System.getLogger(SnoopRequests.class.getName());

    private final CaptureAdmin admin;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private static final class Session {
        final String id;
        final String link;
        final Path file;
        final CaptureSession capture;
        CaptureAdmin.Tap tap;
        /** The link went away (its vif disconnected) before COUNT: the session is over. */
        volatile boolean linkGone;
        volatile long lastPollMs = System.currentTimeMillis();

        Session(String id, String link, Path file, CaptureSession capture) {
            this.id = id;
            this.link = link;
            this.file = file;
            this.capture = capture;
        }
    }

    SnoopRequests(CaptureAdmin admin) {
        this.admin = admin;
        Thread reaper = new Thread(this::reap, "xnb-snoop-lease");
        reaper.setDaemon(true);
        reaper.start();
    }

    AdminResponse handle(AdminRequest r) {
        try {
            return dispatch(r);
        } catch (IllegalArgumentException | org.xnb.netback.admin.LinkAdminException e) {
            return AdminResponse.error(e.getMessage());
        }
    }

    private AdminResponse dispatch(AdminRequest r) {
        switch (r.op()) {
            case AdminRequest.SNOOP:
                return AdminResponse.rows(List.of(row(start(r))));
            case AdminRequest.SNOOP_STATUS: {
                Session s = session(r.name());
                s.lastPollMs = System.currentTimeMillis();
                checkDone(s);
                return AdminResponse.rows(List.of(row(s)));
            }
            default: { // SNOOP_STOP
                Session s = session(r.name());
                end(s);
                return AdminResponse.rows(List.of(row(s)));
            }
        }
    }

    private Session start(AdminRequest r) {
        String link = AdminDispatcher.required(r.link(), "link");
        Path file = Path.of(AdminDispatcher.required(r.file(), "file"));
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("snoop: the file must be an absolute path, not " + file);
        }
        if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
            throw new IllegalArgumentException("snoop: no directory " + file.getParent() + " for " + file);
        }
        if (r.count() < 0) {
            throw new IllegalArgumentException("snoop: count " + r.count() + " < 0");
        }
        int snaplen = r.snaplen() == 0 ? DEFAULT_SNAPLEN : r.snaplen();
        int slots = Integer.highestOneBit((int) Math.max(2, Math.min(1 << 16, RING_BYTES / (snaplen + 16))));
        CaptureSession capture;
        try {
            capture = new CaptureSession(file, snaplen, slots, r.count());
        } catch (IOException e) {
            throw new IllegalArgumentException("snoop: cannot write " + file + ": " + e.getMessage());
        }
        Session s = new Session(Long.toString(ids.incrementAndGet()), link, file, capture);
        try {
            s.tap = admin.capture(link, (frame, offset, length, inbound) -> capture.capture(frame, offset, length));
        } catch (RuntimeException e) {
            closeQuietly(capture);
            throw e;
        }
        sessions.put(s.id, s);
        LOG.log(Level.INFO, "snoop {0}: capturing {1} into {2}", s.id, link, file);
        return s;
    }

    private Session session(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no snoop session '" + id + "' (it ended, or its client stopped polling"
                    + " for " + LEASE_MS / 1000 + " s)");
        }
        return s;
    }

    private static synchronized void untap(Session s) {
        if (s.tap != null) {
            try {
                s.tap.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "snoop " + s.id + ": " + e);
            }
            s.tap = null;
        }
    }

    /** Detaches the tap, writes what the ring holds, closes the file, forgets the session. */
    private void end(Session s) {
        untap(s);
        closeQuietly(s.capture);
        sessions.remove(s.id);
        LOG.log(Level.INFO, "snoop {0}: {1} frames written to {2}, {3} lost (ring full)", s.id, s.capture.written(),
                s.file, s.capture.dropped());
    }

    private static void closeQuietly(CaptureSession c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "snoop: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reap() {
        while (true) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            for (Session s : sessions.values()) {
                checkDone(s);
                if (now - s.lastPollMs > LEASE_MS) {
                    LOG.log(Level.WARNING, "snoop {0}: its client stopped polling; ended", s.id);
                    end(s);
                }
            }
        }
    }

    /** COUNT reached: the tap goes (the lane stops calling into it); the link gone: the session is over. */
    private static synchronized void checkDone(Session s) {
        if (s.capture.isDone()) {
            untap(s);
        } else if (s.tap != null && !s.tap.live()) {
            s.linkGone = true;
            untap(s);
        }
    }

    private static Map<String, String> row(Session s) {
        return AdminDispatcher.row(FIELDS, s.id, s.link, s.file.toString(), Long.toString(s.capture.written()),
                Long.toString(s.capture.dropped()), Boolean.toString(s.capture.isDone() || s.linkGone),
                s.linkGone ? "the link went away" : "");
    }
}
