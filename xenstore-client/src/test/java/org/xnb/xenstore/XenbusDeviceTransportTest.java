package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device transport over a FIFO opened read-write (a loopback stand-in for
 * /dev/xen/xenbus): a read blocked in the kernel must not hold up a write on the same
 * descriptor, which is what the reader thread and request writers rely on.
 */
class XenbusDeviceTransportTest {

    @Test
    void writeProceedsWhileAReadIsBlocked(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("xenbus");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, mk.exitValue());
        try (XenbusDeviceTransport t = XenbusDeviceTransport.open(fifo)) {
            ByteBuffer got = ByteBuffer.allocate(64);
            CompletableFuture<Integer> blockedRead = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.read(got);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the read above is (or soon will be) blocked: nothing is in the FIFO yet
            byte[] msg = XsMessage.ofStrings(XsType.READ, 9, 0, "/a").toBytes();
            t.write(ByteBuffer.wrap(msg));
            assertEquals(msg.length, blockedRead.get(5, TimeUnit.SECONDS));
            XsMessage back = new XsMessageReader().next(got.flip());
            assertEquals(XsMessage.ofStrings(XsType.READ, 9, 0, "/a"), back);
            assertEquals(fifo.toString(), t.describe());
        }
    }
}
