package org.xnb.tools.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin socket's JSON lines: codec, dispatcher, and a real server and client on a Unix socket. */
class AdminProtocolTest {
    @TempDir
    Path dir;

    @Test
    void requestsAndResponsesAreOneJsonObjectPerLineAndRoundTrip() {
        AdminRequest r = new AdminRequest("set-linkprop", "vif1.0", "maxbw=100M,allowed-ips=198.18.0.1\n", true, false);
        String line = AdminCodec.encode(r);
        assertFalse(line.contains("\n"), line);
        assertEquals("{\"op\":\"set-linkprop\",\"link\":\"vif1.0\",\"properties\":\"maxbw=100M,allowed-ips=198.18.0.1\\n\","
                + "\"temporary\":true,\"statistics\":false}", line);
        assertEquals(r, AdminCodec.request(line));
        AdminResponse ok = AdminResponse.rows(List.of(Map.of("LINK", "vif1.0")));
        assertEquals(ok, AdminCodec.response(AdminCodec.encode(ok)));
        assertEquals("{\"ok\":false,\"error\":\"no\",\"rows\":[]}", AdminCodec.encode(AdminResponse.error("no")));
        // unknown keys are ignored (a newer client), missing ones are null/false
        assertEquals(AdminRequest.of("show-vnic", null), AdminCodec.request("{\"op\":\"show-vnic\",\"new\":1}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminCodec.request("{op:"));
        assertTrue(e.getMessage().startsWith("not a valid AdminRequest"), e.getMessage());
    }

    @Test
    void theDispatcherAnswersRowsAndTurnsRefusalsIntoErrorLines() {
        FakeLinkAdmin admin = new FakeLinkAdmin();
        AdminDispatcher d = new AdminDispatcher(admin);
        AdminResponse vnics = d.handle(AdminRequest.of("show-vnic", null));
        assertTrue(vnics.ok());
        assertEquals(Map.of("LINK", "vif12.0", "OVER", "xenbr0", "MACADDRESS", "00:16:3e:0a:0b:0c", "STATE", "disabled",
                "GUEST", "--", "DOMID", "12", "MAXBW", "2.4", "VID", "0"), vnics.rows().get(1));
        assertEquals(1, d.handle(AdminRequest.of("show-vnic", "vif1.0")).rows().size());
        assertEquals("no link 'vif9.0'; the connected vifs are: vif1.0, vif12.0",
                d.handle(AdminRequest.of("show-vnic", "vif9.0")).error());
        assertEquals("vnic", d.handle(AdminRequest.of("show-link", null)).rows().get(0).get("CLASS"));
        AdminResponse stats = d.handle(new AdminRequest("show-link", "vif1.0", null, false, true));
        assertEquals("2", stats.rows().get(0).get("IPSPOOFED"));
        AdminResponse set = d.handle(new AdminRequest("set-linkprop", "vif1.0", "maxbw=100M", true, false));
        assertEquals("100", set.rows().get(0).get("VALUE"));
        assertEquals(List.of("set vif1.0 maxbw=100M -t"), admin.calls);
        d.handle(new AdminRequest("reset-linkprop", "vif1.0", "maxbw,priority", false, false));
        assertEquals(List.of("set vif1.0 maxbw=100M -t", "reset vif1.0 maxbw", "reset vif1.0 priority"), admin.calls);
        assertEquals("unknown op 'frob'; allowed: show-vnic, show-link, show-linkprop, set-linkprop, reset-linkprop, "
                + "add-flow, remove-flow, show-flow, set-flowprop, reset-flowprop, show-flowprop, snoop, snoop-status, "
                + "snoop-stop, create-etherstub, delete-etherstub, show-etherstub, create-vnic, delete-vnic",
                d.handle(AdminRequest.of("frob", null)).error());
        assertEquals("request without \"link\"", d.handle(AdminRequest.of("set-linkprop", null)).error());
    }

    @Test
    void theServerIsAMode0600SocketAnsweringLineByLineAndGoesAtClose() throws Exception {
        Path sock = dir.resolve("sub/admin.sock");
        FakeLinkAdmin admin = new FakeLinkAdmin();
        try (AdminServer server = AdminServer.start(sock, new AdminDispatcher(admin))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("vif1.0", AdminClient.call(sock, AdminRequest.of("show-vnic", null)).rows().get(0).get("LINK"));
            // several requests on one connection, a garbage line answered with an error, the connection kept
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                write(ch, "{\"op\":\"show-link\"}\nnot json\n{\"op\":\"show-linkprop\",\"link\":\"vif12.0\"}\n");
                String[] lines = readLines(ch, 3);
                assertTrue(AdminCodec.response(lines[0]).ok());
                assertTrue(AdminCodec.response(lines[1]).error().startsWith("not a valid AdminRequest"), lines[1]);
                assertEquals("vif12.0", AdminCodec.response(lines[2]).rows().get(0).get("LINK"));
            }
            // a second daemon on the same path is refused
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AdminServer.start(sock, new AdminDispatcher(admin)));
            assertTrue(e.getMessage().contains("another xnb daemon is listening on " + sock), e.getMessage());
        }
        assertFalse(Files.exists(sock));
        AdminUnavailableException none = assertThrows(AdminUnavailableException.class,
                () -> AdminClient.call(sock, AdminRequest.of("show-vnic", null)));
        assertTrue(none.getMessage().startsWith("no xnb daemon is listening on " + sock), none.getMessage());
    }

    @Test
    void aSocketLeftByADeadDaemonIsReplaced() throws Exception {
        Path sock = dir.resolve("admin.sock");
        try (SocketChannel stale = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock)); // a socket file nobody listens on
        }
        assertTrue(Files.exists(sock));
        AdminUnavailableException none = assertThrows(AdminUnavailableException.class,
                () -> AdminClient.call(sock, AdminRequest.of("show-vnic", null)));
        assertTrue(none.getMessage().startsWith("no xnb daemon is listening on"), none.getMessage());
        try (AdminServer server = AdminServer.start(sock, new AdminDispatcher(new FakeLinkAdmin()))) {
            assertTrue(AdminClient.call(sock, AdminRequest.of("show-vnic", null)).ok());
        }
    }

    @Test
    void theSocketPathComesFromTheOptionTheEnvironmentOrTheDefault() {
        assertEquals(Path.of("/x/a.sock"), AdminSocketPath.resolve(Path.of("/x/a.sock"), Map.of("XNB_ADMIN_SOCKET", "/y")));
        assertEquals(Path.of("/y/b.sock"), AdminSocketPath.resolve(null, Map.of("XNB_ADMIN_SOCKET", "/y/b.sock")));
        Path dflt = AdminSocketPath.resolve(null, Map.of());
        assertTrue(dflt.equals(Path.of(AdminSocketPath.DEFAULT)) || dflt.equals(Path.of(AdminSocketPath.HARNESS_DEFAULT)),
                dflt.toString());
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String[] readLines(SocketChannel ch, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (sb.chars().filter(c -> c == '\n').count() < n) {
            b.clear();
            if (ch.read(b) < 0) {
                break;
            }
            sb.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        return sb.toString().split("\n");
    }
}
