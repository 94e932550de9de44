package org.xnb.vnic.tap;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xnb.vnic.os.LibC;

/**
 * A Linux TAP device opened through {@code /dev/net/tun}: the uplink of a VNIC toward dom0's
 * kernel, so the host's bridge, Open vSwitch or VXLAN sees the guest's frames as if from a NIC.
 *
 * <p>Always {@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR}: Ethernet frames, no packet-info prefix,
 * a virtio-net header in front of every frame that carries checksum offload and GSO, so a 64 KiB
 * TCP segment crosses the boundary once and neither side computes checksums in software. With
 * more than one queue the device is {@code IFF_MULTI_QUEUE} and each queue is its own fd
 * ({@link TapQueue}); the kernel spreads flows over them by hash.
 *
 * <p>Opening sequence per the kernel's tun.c, for queue 0 then each further queue:
 * {@code open("/dev/net/tun", O_RDWR|O_NONBLOCK|O_CLOEXEC)}, {@code TUNSETIFF} (the kernel
 * writes the real name back, which names the further queues); then once, on queue 0,
 * {@code TUNSETVNETHDRSZ}, {@code TUNSETOFFLOAD} and {@code TUNSETPERSIST} (device-wide
 * settings). Any failure closes what was opened.
 *
 * <p>Closing closes every queue's fd; a non-persistent device then disappears, a persistent one
 * stays (call {@link #setPersistent(boolean) setPersistent(false)} first to remove it).
 * Link settings (up, MTU, MAC, namespace) are {@link IpLink}'s job: {@link #link()}.
 */
public final class TapDevice implements AutoCloseable {
    public static final String TUN_PATH = "/dev/net/tun";

    private final TapConfig config;
    private final String name;
    private final List<TapQueue> queues;

    private TapDevice(TapConfig config, String name, List<TapQueue> queues) {
        this.config = config;
        this.name = name;
        this.queues = Collections.unmodifiableList(queues);
    }

    /** Opens (creates, or attaches to an existing persistent device of the same name) a TAP device. */
    public static TapDevice open(TapConfig config) {
        List<TapQueue> opened = new ArrayList<>(config.queues());
        try (Memory ifreq = new Memory(IfTun.IFREQ_SIZE); Memory intArg = new Memory(4)) {
            String name = config.name();
            for (int q = 0; q < config.queues(); q++) {
                int fd = openTun(name);
                TapQueue queue;
                try {
                    if (q == 0) {
                        checkFeatures(fd, config);
                    }
                    name = setIff(fd, ifreq, name, config.iffFlags());
                    queue = new TapQueue(fd, q, name, config.vnetHeaderSize());
                } catch (RuntimeException e) {
                    LibC.close(fd);
                    throw e;
                }
                opened.add(queue);
                if (q == 0) {
                    configure(fd, name, intArg, config);
                }
            }
            return new TapDevice(config, name, new ArrayList<>(opened));
        } catch (RuntimeException e) {
            for (TapQueue q : opened) {
                q.close();
            }
            throw e;
        }
    }

    private static int openTun(String name) {
        int fd = LibC.open(TUN_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw TapException.of("open " + TUN_PATH, name, LibC.errno());
        }
        return fd;
    }

    private static void checkFeatures(int fd, TapConfig config) {
        try (Memory features = new Memory(4)) {
            if (LibC.ioctl(fd, IfTun.TUNGETFEATURES, features) < 0) {
                throw TapException.of("TUNGETFEATURES", config.name(), LibC.errno());
            }
            int have = features.getInt(0);
            int want = config.iffFlags();
            if ((have & want) != want) {
                throw new TapException("this kernel's tun driver lacks IFF flags 0x"
                        + Integer.toHexString(want & ~have) + " (has 0x" + Integer.toHexString(have) + ")", 0);
            }
        }
    }

    /** TUNSETIFF; returns the name the kernel gave the device. */
    private static String setIff(int fd, Memory ifreq, String name, int flags) {
        ifreq.clear();
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        ifreq.write(0, bytes, 0, bytes.length);
        ifreq.setShort(IfTun.IFREQ_FLAGS_OFFSET, (short) flags);
        if (LibC.ioctl(fd, IfTun.TUNSETIFF, ifreq) < 0) {
            throw TapException.of("TUNSETIFF", name, LibC.errno());
        }
        return readName(ifreq);
    }

    private static String readName(Memory ifreq) {
        byte[] raw = ifreq.getByteArray(0, IfTun.IFNAMSIZ);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        return new String(raw, 0, len, StandardCharsets.US_ASCII);
    }

    private static void configure(int fd, String name, Memory intArg, TapConfig config) {
        intArg.setInt(0, config.vnetHeaderSize());
        if (LibC.ioctl(fd, IfTun.TUNSETVNETHDRSZ, intArg) < 0) {
            throw TapException.of("TUNSETVNETHDRSZ " + config.vnetHeaderSize(), name, LibC.errno());
        }
        // TUNSETOFFLOAD takes the flags by value (an unsigned long), not through a pointer.
        if (LibC.ioctl(fd, IfTun.TUNSETOFFLOAD, (long) config.offloads()) < 0) {
            throw TapException.of("TUNSETOFFLOAD 0x" + Integer.toHexString(config.offloads()), name, LibC.errno());
        }
        if (config.persistent() && LibC.ioctl(fd, IfTun.TUNSETPERSIST, 1L) < 0) {
            throw TapException.of("TUNSETPERSIST", name, LibC.errno());
        }
    }

    /** The interface name the kernel gave the device (the wanted one, or e.g. {@code tap3}). */
    public String name() {
        return name;
    }

    public TapConfig config() {
        return config;
    }

    public int queueCount() {
        return queues.size();
    }

    public TapQueue queue(int index) {
        return queues.get(index);
    }

    public List<TapQueue> queues() {
        return queues;
    }

    public int vnetHeaderSize() {
        return config.vnetHeaderSize();
    }

    /** Link settings of this interface in our namespace (see {@link IpLink#moveTo}). */
    public IpLink link() {
        return IpLink.of(name);
    }

    /** TUNSETPERSIST: whether the interface outlives the fds. */
    public void setPersistent(boolean persistent) {
        if (LibC.ioctl(liveFd(), IfTun.TUNSETPERSIST, persistent ? 1L : 0L) < 0) {
            throw TapException.of("TUNSETPERSIST " + persistent, name, LibC.errno());
        }
    }

    /** TUNGETIFF: the IFF_* flags the kernel reports for this device (for checks and tests). */
    public int readIffFlags() {
        try (Memory ifreq = new Memory(IfTun.IFREQ_SIZE)) {
            ifreq.clear();
            if (LibC.ioctl(liveFd(), IfTun.TUNGETIFF, ifreq) < 0) {
                throw TapException.of("TUNGETIFF", name, LibC.errno());
            }
            return ifreq.getShort(IfTun.IFREQ_FLAGS_OFFSET) & 0xffff;
        }
    }

    /** TUNGETVNETHDRSZ: the header size the kernel uses on this device. */
    public int readVnetHeaderSize() {
        try (Memory size = new Memory(4)) {
            if (LibC.ioctl(liveFd(), IfTun.TUNGETVNETHDRSZ, size) < 0) {
                throw TapException.of("TUNGETVNETHDRSZ", name, LibC.errno());
            }
            return size.getInt(0);
        }
    }

    private int liveFd() {
        for (TapQueue q : queues) {
            if (!q.isClosed()) {
                return q.fd();
            }
        }
        throw new IllegalStateException("TAP device " + name + " is closed");
    }

    /** Closes every queue; the interface goes away unless persistent. */
    @Override
    public void close() {
        for (TapQueue q : queues) {
            q.close();
        }
    }

    @Override
    public String toString() {
        return "TapDevice[" + name + ", " + queues.size() + " queue(s), " + config + "]";
    }
}
