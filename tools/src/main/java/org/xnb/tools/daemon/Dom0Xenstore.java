package org.xnb.tools.daemon;

import java.io.IOException;
import java.nio.file.Path;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * dom0's privileged xenstore connection for the daemon and the vif tools: the harness's
 * {@code DIR/xenstored.sock}, or on real Xen whatever libxenstore's {@code xs_open()} would
 * choose ({@code XENSTORED_PATH}, {@code /run/xenstored/socket}, {@code /dev/xen/xenbus}).
 */
final class Dom0Xenstore {
    static final String HARNESS_SOCKET = "xenstored.sock";

    private Dom0Xenstore() {
    }

    /** {@code harness}: a harness directory, or null for real Xen. */
    static XenstoreClient open(Path harness) throws IOException {
        if (harness == null) {
            return XenstoreClient.open();
        }
        Path socket = harness.resolve(HARNESS_SOCKET);
        try {
            return XenstoreClient.connect(UnixSocketTransport.connect(socket));
        } catch (IOException e) {
            throw new IOException("cannot connect to the harness xenstored at " + socket + ": " + e.getMessage(), e);
        }
    }
}
