package org.xnb.tools.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.netback.xenbus.VifNodes;
import org.xnb.tools.Main;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;
import picocli.CommandLine;

/** attach/detach against a harness xenstored with no backend running: what libxl would do then. */
class AttachDetachTest {
    @TempDir
    Path dir;

    private int xnb(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void withoutABackendAttachFailsAfterItsWaitAndRemovesItsNodesAndDetachRemovesAnyway() throws Exception {
        try (XenstoredServer server = XenstoredServer.start(dir.resolve(Dom0Xenstore.HARNESS_SOCKET));
                XenstoreClient dom0 = XenstoreClient.connect(UnixSocketTransport.connect(server.socketPath()))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertEquals(1, xnb(out, err, "attach", "--harness", dir.toString(), "--domain", "5", "--wait", "1"));
            assertTrue(err.toString().contains("the backend did not reach InitWait within 1 s"), err.toString());
            assertFalse(dom0.exists(VifNodes.backend(5, 0)), "nodes removed, as libxl does");
            assertFalse(dom0.exists(VifNodes.frontend(5, 0)));

            assertEquals(0, xnb(out, err, "attach", "--harness", dir.toString(), "--domain", "5", "--wait", "0",
                    "--devid", "3", "--mac", "00:16:3E:0A:0B:0C", "--rate", "1000,2000"));
            assertTrue(out.toString().contains("vif5.3 mac 00:16:3e:0a:0b:0c link xenbr0"), out.toString());
            assertEquals("1000,2000", dom0.readString(VifNodes.backend(5, 3) + "/rate"));
            assertFalse(dom0.exists(VifNodes.backend(5, 3) + "/bridge"), "no --link: no bridge key");

            StringWriter err2 = new StringWriter();
            assertEquals(2, xnb(new StringWriter(), err2, "attach", "--harness", dir.toString(), "--domain", "5",
                    "--wait", "0", "--devid", "3"));
            assertTrue(err2.toString().contains("vif5.3 already exists"), err2.toString());

            StringWriter out3 = new StringWriter();
            StringWriter err3 = new StringWriter();
            assertEquals(0, xnb(out3, err3, "detach", "--harness", dir.toString(), "--domain", "5", "--devid", "3",
                    "--wait", "1"));
            assertTrue(err3.toString().contains("did not reach Closed within 1 s; nodes removed anyway"), err3.toString());
            assertEquals("vif5.3 detached", out3.toString().strip());
            assertFalse(dom0.exists(VifNodes.backend(5, 3)));

            StringWriter err4 = new StringWriter();
            assertEquals(2, xnb(new StringWriter(), err4, "detach", "--harness", dir.toString(), "--domain", "5",
                    "--devid", "3"));
            assertTrue(err4.toString().contains("vif5.3 does not exist"), err4.toString());
        }
    }
}
