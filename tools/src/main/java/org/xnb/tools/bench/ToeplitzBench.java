package org.xnb.tools.bench;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Callable;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.netback.hash.FrameHash;
import org.xnb.netback.hash.HashSettings;
import org.xnb.netback.hash.QueueSelector;
import org.xnb.netback.hash.ToeplitzReference;
import org.xnb.netback.hash.ToeplitzTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cost of steering one frame to a queue: netif.h's bit-by-bit Toeplitz code, the per-key table,
 * parsing a frame plus hashing it, and {@link QueueSelector#select} with the guest's table or the
 * default spread. Frames are 1024 different TCP flows (IPv4 and IPv6) in off-heap memory, visited
 * in turn; one thread; best of three runs.
 */
@Command(name = "toeplitz", mixinStandardHelpOptions = true,
        description = "Toeplitz hashing and queue selection per frame (ns/frame), one thread.",
        footer = {"", "Example:", "  bin/xnb bench toeplitz", "  bin/xnb bench toeplitz --frames 2000000"})
public final class ToeplitzBench implements Callable<Integer> {
    private static final int FLOWS = 1024;
    private static final int SLOT = 128;

    @Option(names = "--frames", description = "Frames per measured run (default ${DEFAULT-VALUE}).", defaultValue = "5000000")
    int frames;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final UnsafeBuffer v4 = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FLOWS * SLOT, 64));
    private final UnsafeBuffer v6 = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FLOWS * SLOT, 64));
    private final byte[][] tuples4 = new byte[FLOWS][];
    private final byte[][] tuples6 = new byte[FLOWS][];
    private long sink;

    @Override
    public Integer call() {
        if (frames < 10_000 || frames > 1_000_000_000) {
            // one line on stderr, usage exit code (CliErrors)
            throw new IllegalArgumentException("--frames must be 10000..1000000000: " + frames);
        }
        build();
        byte[] key = ToeplitzTable.standardKey();
        ToeplitzTable table = ToeplitzTable.standard();
        QueueSelector guest = new QueueSelector(4);
        int[] mapping = new int[128];
        for (int i = 0; i < mapping.length; i++) {
            mapping[i] = i % 4;
        }
        guest.publish(new HashSettings(NetifCtrl.HASH_ALGORITHM_TOEPLITZ, FrameHash.ALL_TYPES, table, mapping));
        QueueSelector spread = new QueueSelector(4);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-44s %10s%n", "frames of 1024 TCP flows, one thread", "ns/frame");
        row(out, "netif.h reference code, IPv4+TCP (12 B)", i -> ToeplitzReference.hash(key, 40, tuples4[i], 0, 12));
        row(out, "netif.h reference code, IPv6+TCP (36 B)", i -> ToeplitzReference.hash(key, 40, tuples6[i], 0, 36));
        row(out, "table, IPv4+TCP tuple", i -> table.hash(tuples4[i], 0, 12));
        row(out, "table, IPv6+TCP tuple", i -> table.hash(tuples6[i], 0, 36));
        row(out, "frame parse + hash, IPv4+TCP", i -> (int) FrameHash.hash(table, FrameHash.ALL_TYPES, at(v4, i), 74));
        row(out, "frame parse + hash, IPv6+TCP", i -> (int) FrameHash.hash(table, FrameHash.ALL_TYPES, at(v6, i), 94));
        row(out, "select: guest's table (4 queues), IPv4", i -> guest.select(at(v4, i), 74));
        row(out, "select: guest's table (4 queues), IPv6", i -> guest.select(at(v6, i), 94));
        row(out, "select: default spread (no ctrl ring), IPv4", i -> spread.select(at(v4, i), 74));
        out.printf("(checksum %d)%n", sink);
        out.flush();
        return 0;
    }

    private interface PerFrame {
        int apply(int flow);
    }

    private void row(PrintWriter out, String name, PerFrame f) {
        run(f, frames / 4); // warm up
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            best = Math.min(best, run(f, frames));
        }
        out.printf("%-44s %10.1f%n", name, (double) best / frames);
        out.flush();
    }

    private long run(PerFrame f, int n) {
        long acc = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            acc += f.apply(i & (FLOWS - 1));
        }
        long t = System.nanoTime() - start;
        sink += acc;
        return t;
    }

    private static long at(UnsafeBuffer b, int flow) {
        return b.addressOffset() + (long) flow * SLOT;
    }

    private void build() {
        for (int i = 0; i < FLOWS; i++) {
            ByteBuffer f = ByteBuffer.allocate(74).order(ByteOrder.BIG_ENDIAN);
            f.put(new byte[12]).putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) 60)
                    .putInt(0).put((byte) 64).put((byte) 6).putShort((short) 0)
                    .putInt(0xc6120000 | i).putInt(0xc61200fe).putShort((short) (10000 + i)).putShort((short) 80);
            v4.putBytes(i * SLOT, f.array());
            tuples4[i] = new byte[12];
            v4.getBytes(i * SLOT + 26, tuples4[i]);
            ByteBuffer g = ByteBuffer.allocate(94).order(ByteOrder.BIG_ENDIAN);
            g.put(new byte[12]).putShort((short) 0x86dd).putInt(0x60000000).putShort((short) 40).put((byte) 6)
                    .put((byte) 64).putLong(0x20010002_00000000L).putLong(i).putLong(0x20010002_00000000L).putLong(254)
                    .putShort((short) (10000 + i)).putShort((short) 80);
            v6.putBytes(i * SLOT, g.array());
            tuples6[i] = new byte[36];
            v6.getBytes(i * SLOT + 22, tuples6[i]);
        }
    }
}
