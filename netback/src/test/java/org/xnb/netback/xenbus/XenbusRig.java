package org.xnb.netback.xenbus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import org.xnb.xenstore.XenstoreClientConfig;

/**
 * The real harness xenstored on a temp socket, a toolstack connection, one connection per guest
 * (on the guest's own socket), and the backend under test on its own dom0 connection. Closes
 * everything it opened, in reverse order.
 */
final class XenbusRig implements AutoCloseable {
    static final XenstoreClientConfig CLIENT = XenstoreClientConfig.defaults().withRequestTimeout(Duration.ofSeconds(5));

    final XenstoredServer server;
    final VifNodes toolstack;
    final RecordingConnector connector = new RecordingConnector();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<Integer, XenstoreClient> guests = new HashMap<>();
    private XenstoreClient backendClient;
    XenbusBackend backend;

    XenbusRig(Path dir) throws IOException {
        server = XenstoredServer.start(dir.resolve("xs.sock"));
        opened.add(server);
        toolstack = new VifNodes(client(server.socketPath()));
    }

    private XenstoreClient client(Path socket) throws IOException {
        XenstoreClient c = XenstoreClient.connect(UnixSocketTransport.connect(socket), CLIENT);
        opened.add(c);
        return c;
    }

    /** Introduces guest {@code domid} and connects to its socket. */
    XenstoreClient guest(int domid) throws IOException {
        XenstoreClient c = guests.get(domid);
        if (c == null) {
            c = client(server.introduceDomain(domid));
            guests.put(domid, c);
        }
        return c;
    }

    ScriptedNetfront netfront(int domid, int devid) throws IOException {
        return new ScriptedNetfront(guest(domid), domid, devid);
    }

    /** Starts (or restarts) the backend on a fresh dom0 connection. */
    XenbusBackend startBackend() throws IOException {
        if (backendClient == null) {
            backendClient = client(server.socketPath());
        }
        backend = XenbusBackend.start(backendClient, 0, connector);
        return backend;
    }

    void stopBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    public void close() {
        stopBackend();
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
