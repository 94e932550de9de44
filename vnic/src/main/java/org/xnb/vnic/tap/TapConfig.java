package org.xnb.vnic.tap;

import java.nio.charset.StandardCharsets;

/**
 * How to open a TAP device: the name (empty = the kernel picks {@code tapN}), how many queues
 * (more than one = {@code IFF_MULTI_QUEUE}, one fd per queue), the virtio-net header size, the
 * offloads we accept from the kernel, and whether the device outlives our fds.
 *
 * <p>Offloads are what <em>we</em> promise to handle on frames the kernel gives us
 * ({@code TUNSETOFFLOAD}): with {@code TUN_F_CSUM} the kernel may hand us frames whose
 * transport checksum is only partial (NEEDS_CSUM), with {@code TUN_F_TSO4/6} TCP segments up to
 * 64 KiB described by the GSO fields of the header. Frames we write may always carry GSO and
 * partial checksums; the kernel segments or checksums them if its path needs it.
 */
public final class TapConfig {
    /** tun's {@code MAX_TAP_QUEUES}. */
    public static final int MAX_QUEUES = 256;
    /** The offloads a VNIC uplink asks for: partial checksums and TCP segmentation, v4 and v6. */
    public static final int STANDARD_OFFLOADS = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6;

    private final String name;
    private final int queues;
    private final boolean multiQueue;
    private final int vnetHeaderSize;
    private final int offloads;
    private final boolean persistent;

    private TapConfig(Builder b) {
        this.name = b.name;
        this.queues = b.queues;
        this.multiQueue = b.multiQueue || b.queues > 1;
        this.vnetHeaderSize = b.vnetHeaderSize;
        this.offloads = b.offloads;
        this.persistent = b.persistent;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    public int queues() {
        return queues;
    }

    public boolean multiQueue() {
        return multiQueue;
    }

    public int vnetHeaderSize() {
        return vnetHeaderSize;
    }

    public int offloads() {
        return offloads;
    }

    public boolean persistent() {
        return persistent;
    }

    /** The IFF_* flags for TUNSETIFF. */
    public int iffFlags() {
        return IfTun.IFF_TAP | IfTun.IFF_NO_PI | IfTun.IFF_VNET_HDR | (multiQueue ? IfTun.IFF_MULTI_QUEUE : 0);
    }

    @Override
    public String toString() {
        return "TapConfig[name=" + (name.isEmpty() ? "(kernel)" : name) + ", queues=" + queues
                + ", multiQueue=" + multiQueue + ", vnetHeaderSize=" + vnetHeaderSize
                + ", offloads=0x" + Integer.toHexString(offloads) + ", persistent=" + persistent + "]";
    }

    /** Checks an interface name as the kernel's {@code dev_valid_name} would, with a clear message. */
    public static String checkName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("interface name must not be null (use \"\" to let the kernel choose)");
        }
        if (name.isEmpty()) {
            return name;
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IfTun.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than "
                    + (IfTun.IFNAMSIZ - 1) + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name '" + name + "' is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':') {
                throw new IllegalArgumentException("interface name '" + name
                        + "' has a character Linux does not allow at index " + i);
            }
        }
        return name;
    }

    /** Builds a {@link TapConfig}; every setter checks its argument. */
    public static final class Builder {
        private String name = "";
        private int queues = 1;
        private boolean multiQueue;
        private int vnetHeaderSize = VirtioNetHeader.SIZE_V1;
        private int offloads;
        private boolean persistent;

        private Builder() {
        }

        /** The wanted name, "" (the default) for a kernel-chosen one, or a pattern like {@code xnb%d}. */
        public Builder name(String value) {
            this.name = checkName(value);
            return this;
        }

        /** Number of queues (fds); more than one turns on {@code IFF_MULTI_QUEUE}. */
        public Builder queues(int value) {
            if (value < 1 || value > MAX_QUEUES) {
                throw new IllegalArgumentException("queues must be 1.." + MAX_QUEUES + ": " + value);
            }
            this.queues = value;
            return this;
        }

        /** Sets {@code IFF_MULTI_QUEUE} even with one queue, so more can be attached later. */
        public Builder multiQueue(boolean value) {
            this.multiQueue = value;
            return this;
        }

        /** 12 (virtio_net_hdr_v1, with num_buffers; the default) or 10 (legacy virtio_net_hdr). */
        public Builder vnetHeaderSize(int value) {
            if (value != VirtioNetHeader.SIZE && value != VirtioNetHeader.SIZE_V1) {
                throw new IllegalArgumentException("vnet header size must be " + VirtioNetHeader.SIZE
                        + " or " + VirtioNetHeader.SIZE_V1 + ": " + value);
            }
            this.vnetHeaderSize = value;
            return this;
        }

        /** TUN_F_* bits we accept from the kernel; 0 (the default) = whole, checksummed frames only. */
        public Builder offloads(int value) {
            int known = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_TSO_ECN | IfTun.TUN_F_UFO;
            if ((value & ~known) != 0) {
                throw new IllegalArgumentException("unknown TUN_F_* bits 0x" + Integer.toHexString(value & ~known));
            }
            if ((value & ~IfTun.TUN_F_CSUM) != 0 && (value & IfTun.TUN_F_CSUM) == 0) {
                // the kernel rejects segmentation offloads without checksum offload
                throw new IllegalArgumentException("TSO/UFO offloads need TUN_F_CSUM too");
            }
            this.offloads = value;
            return this;
        }

        /** Shorthand for {@link #offloads(int)} with {@link #STANDARD_OFFLOADS} or 0. */
        public Builder standardOffloads(boolean on) {
            return offloads(on ? STANDARD_OFFLOADS : 0);
        }

        /** Whether the device stays after our fds close (TUNSETPERSIST). */
        public Builder persistent(boolean value) {
            this.persistent = value;
            return this;
        }

        public TapConfig build() {
            return new TapConfig(this);
        }
    }
}
