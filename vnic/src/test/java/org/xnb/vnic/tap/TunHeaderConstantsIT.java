package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.os.LibC;
import org.xnb.vnic.testing.RequireRoot;

/**
 * Proves every constant and struct offset the TAP layer hard-codes against the kernel and libc
 * headers installed on this machine: compiles {@code tun_probe.c} with gcc, runs it, and compares
 * its "NAME VALUE" lines with the Java values.
 */
class TunHeaderConstantsIT {
    private static final Map<String, Long> JAVA = new LinkedHashMap<>();

    static {
        JAVA.put("TUNSETIFF", IfTun.TUNSETIFF);
        JAVA.put("TUNSETPERSIST", IfTun.TUNSETPERSIST);
        JAVA.put("TUNGETFEATURES", IfTun.TUNGETFEATURES);
        JAVA.put("TUNSETOFFLOAD", IfTun.TUNSETOFFLOAD);
        JAVA.put("TUNGETIFF", IfTun.TUNGETIFF);
        JAVA.put("TUNGETVNETHDRSZ", IfTun.TUNGETVNETHDRSZ);
        JAVA.put("TUNSETVNETHDRSZ", IfTun.TUNSETVNETHDRSZ);
        JAVA.put("TUNSETQUEUE", IfTun.TUNSETQUEUE);
        JAVA.put("TUNSETVNETLE", IfTun.TUNSETVNETLE);
        JAVA.put("IFF_TUN", (long) IfTun.IFF_TUN);
        JAVA.put("IFF_TAP", (long) IfTun.IFF_TAP);
        JAVA.put("IFF_MULTI_QUEUE", (long) IfTun.IFF_MULTI_QUEUE);
        JAVA.put("IFF_ATTACH_QUEUE", (long) IfTun.IFF_ATTACH_QUEUE);
        JAVA.put("IFF_DETACH_QUEUE", (long) IfTun.IFF_DETACH_QUEUE);
        JAVA.put("IFF_PERSIST", (long) IfTun.IFF_PERSIST);
        JAVA.put("IFF_NO_PI", (long) IfTun.IFF_NO_PI);
        JAVA.put("IFF_VNET_HDR", (long) IfTun.IFF_VNET_HDR);
        JAVA.put("TUN_F_CSUM", (long) IfTun.TUN_F_CSUM);
        JAVA.put("TUN_F_TSO4", (long) IfTun.TUN_F_TSO4);
        JAVA.put("TUN_F_TSO6", (long) IfTun.TUN_F_TSO6);
        JAVA.put("TUN_F_TSO_ECN", (long) IfTun.TUN_F_TSO_ECN);
        JAVA.put("TUN_F_UFO", (long) IfTun.TUN_F_UFO);
        JAVA.put("IFNAMSIZ", (long) IfTun.IFNAMSIZ);
        JAVA.put("IFREQ_SIZE", (long) IfTun.IFREQ_SIZE);
        JAVA.put("IFREQ_FLAGS_OFFSET", (long) IfTun.IFREQ_FLAGS_OFFSET);

        JAVA.put("VNET_SIZE", (long) VirtioNetHeader.SIZE);
        JAVA.put("VNET_SIZE_V1", (long) VirtioNetHeader.SIZE_V1);
        JAVA.put("VNET_SIZE_MRG", (long) VirtioNetHeader.SIZE_V1);
        JAVA.put("VNET_FLAGS_OFFSET", (long) VirtioNetHeader.FLAGS_OFFSET);
        JAVA.put("VNET_GSO_TYPE_OFFSET", (long) VirtioNetHeader.GSO_TYPE_OFFSET);
        JAVA.put("VNET_HDR_LEN_OFFSET", (long) VirtioNetHeader.HDR_LEN_OFFSET);
        JAVA.put("VNET_GSO_SIZE_OFFSET", (long) VirtioNetHeader.GSO_SIZE_OFFSET);
        JAVA.put("VNET_CSUM_START_OFFSET", (long) VirtioNetHeader.CSUM_START_OFFSET);
        JAVA.put("VNET_CSUM_OFFSET_OFFSET", (long) VirtioNetHeader.CSUM_OFFSET_OFFSET);
        JAVA.put("VNET_NUM_BUFFERS_OFFSET", (long) VirtioNetHeader.NUM_BUFFERS_OFFSET);
        JAVA.put("VNET_LEGACY_CSUM_START_OFFSET", (long) VirtioNetHeader.CSUM_START_OFFSET);
        JAVA.put("VNET_LEGACY_CSUM_OFFSET_OFFSET", (long) VirtioNetHeader.CSUM_OFFSET_OFFSET);
        JAVA.put("VIRTIO_NET_HDR_F_NEEDS_CSUM", (long) VirtioNetHeader.F_NEEDS_CSUM);
        JAVA.put("VIRTIO_NET_HDR_F_DATA_VALID", (long) VirtioNetHeader.F_DATA_VALID);
        JAVA.put("VIRTIO_NET_HDR_F_RSC_INFO", (long) VirtioNetHeader.F_RSC_INFO);
        JAVA.put("VIRTIO_NET_HDR_GSO_NONE", (long) VirtioNetHeader.GSO_NONE);
        JAVA.put("VIRTIO_NET_HDR_GSO_TCPV4", (long) VirtioNetHeader.GSO_TCPV4);
        JAVA.put("VIRTIO_NET_HDR_GSO_UDP", (long) VirtioNetHeader.GSO_UDP);
        JAVA.put("VIRTIO_NET_HDR_GSO_TCPV6", (long) VirtioNetHeader.GSO_TCPV6);
        JAVA.put("VIRTIO_NET_HDR_GSO_ECN", (long) VirtioNetHeader.GSO_ECN);

        JAVA.put("O_RDWR", (long) LibC.O_RDWR);
        JAVA.put("O_NONBLOCK", (long) LibC.O_NONBLOCK);
        JAVA.put("O_CLOEXEC", (long) LibC.O_CLOEXEC);
        JAVA.put("POLLIN", (long) LibC.POLLIN);
        JAVA.put("POLLOUT", (long) LibC.POLLOUT);
        JAVA.put("POLLERR", (long) LibC.POLLERR);
        JAVA.put("POLLHUP", (long) LibC.POLLHUP);
        JAVA.put("POLLNVAL", (long) LibC.POLLNVAL);
        JAVA.put("POLLFD_SIZE", (long) LibC.POLLFD_SIZE);
        JAVA.put("POLLFD_EVENTS", (long) LibC.POLLFD_EVENTS);
        JAVA.put("POLLFD_REVENTS", (long) LibC.POLLFD_REVENTS);
        JAVA.put("IOVEC_SIZE", (long) LibC.IOVEC_SIZE);
        JAVA.put("IOVEC_LEN", (long) LibC.IOVEC_LEN);
        JAVA.put("EPERM", (long) LibC.EPERM);
        JAVA.put("ENOENT", (long) LibC.ENOENT);
        JAVA.put("EINTR", (long) LibC.EINTR);
        JAVA.put("EIO", (long) LibC.EIO);
        JAVA.put("EBADF", (long) LibC.EBADF);
        JAVA.put("EAGAIN", (long) LibC.EAGAIN);
        JAVA.put("EACCES", (long) LibC.EACCES);
        JAVA.put("EBUSY", (long) LibC.EBUSY);
        JAVA.put("ENODEV", (long) LibC.ENODEV);
        JAVA.put("EINVAL", (long) LibC.EINVAL);
    }

    private static Map<String, Long> probed;

    @BeforeAll
    static void compileAndRunProbe(@TempDir Path dir) throws IOException {
        RequireRoot.requireTool("gcc", "gcc libc6-dev linux-libc-dev");
        if (!Files.exists(Path.of("/usr/include/linux/if_tun.h"))) {
            throw new AssertionError("no /usr/include/linux/if_tun.h: apt-get install linux-libc-dev");
        }
        Path source = dir.resolve("tun_probe.c");
        try (InputStream in = TunHeaderConstantsIT.class.getResourceAsStream("tun_probe.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("tun_probe");
        CommandResult cc = Commands.run(Duration.ofSeconds(60), "gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        assertTrue(cc.ok(), cc::describe);
        CommandResult run = Commands.run(Duration.ofSeconds(10), binary.toString());
        assertTrue(run.ok(), run::describe);
        probed = new LinkedHashMap<>();
        for (String line : run.stdout().split("\n")) {
            String[] kv = line.strip().split(" ");
            probed.put(kv[0], Long.parseUnsignedLong(kv[1]));
        }
    }

    @Test
    void probeReportsEveryConstantJavaUses() {
        assertEquals(JAVA.keySet(), probed.keySet());
    }

    @Test
    void everyJavaConstantMatchesTheHeaders() {
        StringBuilder wrong = new StringBuilder();
        JAVA.forEach((name, value) -> {
            Long c = probed.get(name);
            if (c == null || c.longValue() != value.longValue()) {
                wrong.append(name).append(": java ").append(value).append(", C ").append(c).append('\n');
            }
        });
        assertEquals("", wrong.toString());
    }

    @Test
    void virtioHeaderV1IsTheLegacyHeaderPlusNumBuffers() {
        // what lets one codec serve both sizes: v1 == mrg_rxbuf == legacy header + u16
        assertEquals(probed.get("VNET_SIZE") + 2, probed.get("VNET_SIZE_V1"));
        assertEquals(probed.get("VNET_SIZE"), probed.get("VNET_NUM_BUFFERS_OFFSET"));
    }
}
