package org.xnb.tools.harness;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.harness.netfront.tap.FrameSource;
import org.xnb.harness.netfront.tap.GuestNamespace;
import org.xnb.netback.xenbus.VifNodes;

/**
 * What a mock guest (no TAP, no kernel) of {@code harness serve --mock-traffic} sends: while the
 * file {@code DIR/traffic-gN} holds {@code PEER PORT MBIT}, UDP datagrams of 1400 bytes from
 * guest N (198.18.0.N, its vif's MAC) to guest PEER's MAC and address, destination port PORT, at
 * most MBIT Mbit/s (a token bucket; the Tx ring's room is the other limit). The file is looked
 * at every 100 ms, so {@code bin/xnb demo} starts and stops the traffic by writing and removing
 * it. The frame is built when the file changes and copied per send: nothing allocated per frame.
 */
final class MockTraffic implements FrameSource {
    static final int PAYLOAD = 1400;
    private static final int FRAME = 14 + 20 + 8 + PAYLOAD;
    private static final long CHECK_NS = 100_000_000L;

    private final int domid;
    private final Path trigger;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME]);
    private String spec = "";
    private boolean on;
    private long bitsPerNs1e9; // bits per second
    private long nextCheck;
    private long last;
    private double credit; // bytes

    MockTraffic(Path dir, int domid) {
        this.domid = domid;
        this.trigger = triggerFile(dir, domid);
    }

    static Path triggerFile(Path dir, int domid) {
        return dir.resolve("traffic-g" + domid);
    }

    @Override
    public int next(MutableDirectBuffer buf, int at, int capacity) {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_NS;
            check();
        }
        if (!on) {
            return 0;
        }
        credit = Math.min(credit + (now - last) * (bitsPerNs1e9 / 8e9), 64 * 1024);
        last = now;
        if (credit < FRAME || capacity < FRAME) {
            return 0;
        }
        credit -= FRAME;
        buf.putBytes(at, frame, 0, FRAME);
        return FRAME;
    }

    private void check() {
        String now;
        try {
            now = Files.readString(trigger, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            now = "";
        }
        if (now.equals(spec)) {
            return;
        }
        spec = now;
        on = false;
        String[] f = now.split("\\s+");
        if (f.length == 3) {
            try {
                build(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
                bitsPerNs1e9 = Long.parseLong(f[2]) * 1_000_000L;
                last = System.nanoTime();
                credit = 0;
                on = true;
            } catch (NumberFormatException e) {
                System.err.println("harness: guest " + domid + ": bad " + trigger + ": " + now);
            }
        }
    }

    private void build(int peer, int port) {
        int p = 0;
        p = mac(p, VifNodes.mac(peer, 0));
        p = mac(p, VifNodes.mac(domid, 0));
        frame.putShort(p, (short) 0x0800, ByteOrder.BIG_ENDIAN);
        int ip = p + 2;
        frame.setMemory(ip, FRAME - ip, (byte) 0);
        frame.putByte(ip, (byte) 0x45);
        frame.putShort(ip + 2, (short) (20 + 8 + PAYLOAD), ByteOrder.BIG_ENDIAN);
        frame.putByte(ip + 8, (byte) 64);
        frame.putByte(ip + 9, (byte) 17);
        address(ip + 12, domid);
        address(ip + 16, peer);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += frame.getShort(ip + i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        frame.putShort(ip + 10, (short) ~sum, ByteOrder.BIG_ENDIAN);
        int udp = ip + 20;
        frame.putShort(udp, (short) (40000 + domid), ByteOrder.BIG_ENDIAN);
        frame.putShort(udp + 2, (short) port, ByteOrder.BIG_ENDIAN);
        frame.putShort(udp + 4, (short) (8 + PAYLOAD), ByteOrder.BIG_ENDIAN);
        // checksum 0: none (allowed for UDP over IPv4)
    }

    private int mac(int at, String mac) {
        String[] b = mac.split(":");
        for (int i = 0; i < 6; i++) {
            frame.putByte(at + i, (byte) Integer.parseInt(b[i], 16));
        }
        return at + 6;
    }

    private void address(int at, int guest) {
        String[] b = GuestNamespace.ipv4(guest).split("\\.");
        for (int i = 0; i < 4; i++) {
            frame.putByte(at + i, (byte) Integer.parseInt(b[i]));
        }
    }
}
