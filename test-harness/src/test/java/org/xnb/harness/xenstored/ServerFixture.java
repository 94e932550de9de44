package org.xnb.harness.xenstored;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts a server on a temporary socket per test and closes it and every client after. */
abstract class ServerFixture {
    @TempDir
    Path dir;

    XenstoredServer server;
    private final List<RawClient> clients = new ArrayList<>();

    XenstoredServer start() throws IOException {
        return start(XenstoredConfig.DEFAULTS);
    }

    XenstoredServer start(XenstoredConfig cfg) throws IOException {
        server = XenstoredServer.start(dir.resolve("xs"), cfg);
        return server;
    }

    RawClient dom0() throws IOException {
        if (server == null) {
            start();
        }
        return track(new RawClient(server.socketPath()));
    }

    RawClient guest(int domid) throws IOException {
        if (server == null) {
            start();
        }
        if (!server.isIntroduced(domid)) {
            server.introduceDomain(domid);
        }
        return track(new RawClient(server.domainSocketPath(domid)));
    }

    private RawClient track(RawClient c) {
        clients.add(c);
        return c;
    }

    @AfterEach
    void stopServer() throws IOException {
        for (RawClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
