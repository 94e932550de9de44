package org.xnb.tools.harness;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.xnb.harness.xenstored.XenstoredServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb harness xenstored --socket PATH}: the harness xenstored in the foreground until
 * SIGINT/SIGTERM. Removes its socket files on the way out (a JVM shutdown hook runs on both
 * signals).
 */
@Command(name = "xenstored", mixinStandardHelpOptions = true,
        description = {"Serve a xenstore (C xenstored 4.17 behaviour) on a Unix socket, in the foreground.",
                "Connections on the socket act as dom0; introduced domains get <socket>-dom<N>."},
        footer = {"", "Example:",
                "  bin/xnb harness xenstored --socket /tmp/xs.sock &",
                "  XENSTORED_PATH=/tmp/xs.sock xenstore-write /a/b v",
                "  XENSTORED_PATH=/tmp/xs.sock xenstore-ls -fp"})
public final class XenstoredCommand implements Callable<Integer> {

    @Option(names = "--socket", required = true, paramLabel = "PATH",
            description = "Unix socket to listen on (dom0's connection point).")
    Path socket;

    @Override
    public Integer call() throws Exception {
        XenstoredServer server = XenstoredServer.start(socket);
        Thread hook = new Thread(server::close, "xenstored-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("xenstored: listening on " + server.socketPath());
        System.out.flush();
        server.awaitStop();
        return 0;
    }
}
