package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.xenstore.TransportLocator.Candidate;
import org.xnb.xenstore.TransportLocator.FileKind;

/** The choice of xs_open(): environment, socket-vs-device by stat, fallbacks. */
class TransportLocatorTest {

    /** A probe over a fixed map of paths; everything else is missing. */
    private static TransportLocator.FileProbe fs(Map<String, FileKind> files) {
        return p -> files.getOrDefault(p.toString(), FileKind.MISSING);
    }

    @Test
    void defaultIsTheRundirSocketThenDevXenXenbus() {
        var probe = fs(Map.of("/var/run/xenstored/socket", FileKind.SOCKET, "/dev/xen/xenbus", FileKind.OTHER));
        assertEquals(List.of(new Candidate(Path.of("/var/run/xenstored/socket"), FileKind.SOCKET),
                new Candidate(Path.of("/dev/xen/xenbus"), FileKind.OTHER)), TransportLocator.candidates(Map.of(), probe));
    }

    @Test
    void withoutDevXenXenbusTheProcFileIsTheDomainDevice() {
        var probe = fs(Map.of("/proc/xen/xenbus", FileKind.OTHER));
        assertEquals("/proc/xen/xenbus", TransportLocator.domainDev(Map.of(), probe));
        assertEquals(List.of(new Candidate(Path.of("/proc/xen/xenbus"), FileKind.OTHER)),
                TransportLocator.candidates(Map.of(), probe));
    }

    @Test
    void rundirMovesTheSocket() {
        assertEquals("/run/x/socket", TransportLocator.daemonSocket(Map.of("XENSTORED_RUNDIR", "/run/x")));
    }

    @Test
    void xenstoredPathOverridesBothSteps() {
        Map<String, String> env = Map.of("XENSTORED_PATH", "/tmp/xs", "XENSTORED_RUNDIR", "/ignored");
        assertEquals("/tmp/xs", TransportLocator.daemonSocket(env));
        var probe = fs(Map.of("/tmp/xs", FileKind.OTHER, "/dev/xen/xenbus", FileKind.OTHER));
        assertEquals("/tmp/xs", TransportLocator.domainDev(env, probe));
        // a non-socket at XENSTORED_PATH is opened as a device (twice, like xs_open)
        assertEquals(List.of(new Candidate(Path.of("/tmp/xs"), FileKind.OTHER),
                new Candidate(Path.of("/tmp/xs"), FileKind.OTHER)), TransportLocator.candidates(env, probe));
    }

    @Test
    void failedConnectFallsThroughToTheDevice() throws IOException {
        var files = Map.of("/var/run/xenstored/socket", FileKind.SOCKET, "/dev/xen/xenbus", FileKind.OTHER);
        java.util.List<String> tried = new java.util.ArrayList<>();
        TransportLocator.FileProbe probe = new TransportLocator.FileProbe() {
            @Override
            public FileKind kind(Path path) {
                return files.getOrDefault(path.toString(), FileKind.MISSING);
            }

            @Override
            public XenstoreTransport open(Path path, FileKind kind) throws IOException {
                tried.add(kind + " " + path);
                if (kind == FileKind.SOCKET) {
                    throw new IOException("Connection refused");
                }
                return new XenstoreTransport() {
                    public int read(java.nio.ByteBuffer dst) {
                        return -1;
                    }

                    public void write(java.nio.ByteBuffer src) {
                    }

                    public String describe() {
                        return path.toString();
                    }

                    public void close() {
                    }
                };
            }
        };
        assertEquals("/dev/xen/xenbus", TransportLocator.open(Map.of(), probe).describe());
        assertEquals(List.of("SOCKET /var/run/xenstored/socket", "OTHER /dev/xen/xenbus"), tried);
    }

    @Test
    void nothingThereIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> TransportLocator.open(Map.of(), fs(Map.of())));
        assertTrue(e.getMessage().contains("/var/run/xenstored/socket"), e.getMessage());
        assertTrue(e.getMessage().contains("XENSTORED_PATH"), e.getMessage());
    }

    @Test
    void realFileSystemTellsSocketsFromFiles(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertEquals(FileKind.OTHER, TransportLocator.SYSTEM.kind(plain));
        assertEquals(FileKind.MISSING, TransportLocator.SYSTEM.kind(dir.resolve("nope")));
        try (FakePeer peer = new FakePeer()) {
            assertEquals(FileKind.SOCKET, TransportLocator.SYSTEM.kind(peer.socketPath()));
            try (XenstoreTransport t = TransportLocator.open(Map.of("XENSTORED_PATH", peer.socketPath().toString()),
                    TransportLocator.SYSTEM)) {
                assertInstanceOf(UnixSocketTransport.class, t);
            }
        }
        try (XenstoreTransport t = TransportLocator.open(Map.of("XENSTORED_PATH", plain.toString()),
                TransportLocator.SYSTEM)) {
            assertInstanceOf(XenbusDeviceTransport.class, t);
        }
    }
}
