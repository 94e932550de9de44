package org.xnb.tools.xenprobe;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.EventChannel;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantException;
import org.xnb.grant.GrantMapping;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.netif.Netif;
import org.xnb.grant.netif.RxRequest;
import org.xnb.grant.ring.SharedRingDescriptor;
import org.xnb.grant.xen.XenHypervisor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xnb xen-probe}: exercises the real-Xen JNA layer ({@code org.xnb.grant.xen}) against a
 * live netfront whose xenbus handshake someone else drove up to the point where the frontend
 * published its rings (the rig's {@code xen-jna} scenario writes the nodes with xenstore-utils).
 * Maps both ring refs, reads what the frontend posted, grant-copies a pattern into the first
 * posted Rx buffer and back, checks that a bad ref fails per segment and as a map, binds both
 * event channels, notifies, unbinds and unmaps, and checks {@code /proc/self/maps} holds no
 * gntdev mapping at the end. One {@code PROBE ok|FAIL step: ...} line per step; exit 0 when all pass.
 */
@Command(name = "xen-probe", hidden = true, mixinStandardHelpOptions = true,
        description = "Probe libxengnttab/libxenevtchn through xnb's JNA layer against a live netfront (dom0 only).",
        footer = {"", "Example (dom0; refs and ports from the frontend's xenstore nodes):",
            "  bin/xnb xen-probe --domain 3 --tx-ref 8 --rx-ref 9 --tx-port 5 --rx-port 6"})
public final class XenProbeCommand implements Callable<Integer> {
    private static final int PATTERN_BYTES = 256;
    private static final int BAD_REF = 0x7ffffff0;

    @Option(names = "--domain", required = true, description = "the guest's domain id")
    int domid;

    @Option(names = "--tx-ref", required = true, description = "tx-ring-ref of the frontend")
    int txRef;

    @Option(names = "--rx-ref", required = true, description = "rx-ring-ref of the frontend")
    int rxRef;

    @Option(names = "--tx-port", required = true, description = "event-channel-tx (or event-channel) of the frontend")
    int txPort;

    @Option(names = "--rx-port", description = "event-channel-rx of the frontend (split channels); default: none")
    int rxPort = -1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private int failures;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        XenHypervisor xen = new XenHypervisor();
        try (GrantTable grants = xen.openGrantTable(); EventChannel events = xen.openEventChannel()) {
            ok("open", "gntdev and evtchn handles; evtchn fd " + events.fd());
            probeRings(grants);
            probeEvents(events);
        }
        long left = gntdevMappings();
        check("maps-after-close", left == 0, left + " gntdev mappings left in /proc/self/maps");
        out.println("PROBE " + (failures == 0 ? "DONE all steps passed" : "DONE " + failures + " steps FAILED"));
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private void probeRings(GrantTable grants) {
        GrantMapping tx = grants.map(domid, new int[] {txRef}, 1, true);
        GrantMapping rx = grants.map(domid, new int[] {rxRef}, 1, true);
        ok("map", "tx ref " + txRef + " at 0x" + Long.toHexString(tx.address()) + ", rx ref " + rxRef + " at 0x"
                + Long.toHexString(rx.address()) + "; gntdev mappings now " + gntdevMappings());
        int txReqProd = tx.buffer().getIntVolatile(SharedRingDescriptor.REQ_PROD_OFFSET);
        int rxReqProd = rx.buffer().getIntVolatile(SharedRingDescriptor.REQ_PROD_OFFSET);
        int rxRspProd = rx.buffer().getIntVolatile(SharedRingDescriptor.RSP_PROD_OFFSET);
        // netfront fills its Rx ring (NET_RX_RING_SIZE) as soon as it has set the ring up.
        check("rx-ring", rxReqProd > 0 && rxReqProd <= Netif.RX_RING_SIZE && rxRspProd == 0,
                "rx req_prod " + rxReqProd + " rsp_prod " + rxRspProd + "; tx req_prod " + txReqProd);
        if (rxReqProd <= 0) {
            return;
        }
        RxRequest first = new RxRequest().readFrom(rx.buffer(),
                SharedRingDescriptor.entryOffset(0, Netif.RX_RING_SIZE, RxRequest.LENGTH));
        out.println("PROBE info first Rx request: " + first);
        probeCopy(grants, first.gref());
        probeBadMap(grants);
        grants.unmap(tx);
        grants.unmap(rx);
        long left = gntdevMappings();
        check("unmap", left == 0, left + " gntdev mappings left after unmapping both rings");
    }

    private void probeCopy(GrantTable grants, int gref) {
        UnsafeBuffer src = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PATTERN_BYTES, 64));
        UnsafeBuffer back = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PATTERN_BYTES, 64));
        for (int i = 0; i < PATTERN_BYTES; i++) {
            src.putByte(i, (byte) (i * 7 + 3));
        }
        GrantCopyBatch batch = new GrantCopyBatch(4);
        batch.addToGuest(src.addressOffset(), domid, gref, 100, PATTERN_BYTES);
        int failed = grants.copy(batch);
        check("copy-to-guest", failed == 0, "status " + GrantStatus.name(batch.status(0)));
        batch.clear();
        batch.addFromGuest(domid, gref, 100, back.addressOffset(), PATTERN_BYTES);
        batch.addFromGuest(domid, BAD_REF, 0, back.addressOffset(), 16);
        failed = grants.copy(batch);
        int mismatch = -1;
        for (int i = 0; i < PATTERN_BYTES && mismatch < 0; i++) {
            if (back.getByte(i) != src.getByte(i)) {
                mismatch = i;
            }
        }
        check("copy-from-guest", batch.status(0) == GrantStatus.OKAY && mismatch < 0,
                "status " + GrantStatus.name(batch.status(0)) + (mismatch < 0 ? ", 256 bytes back intact"
                        : ", first differing byte at " + mismatch));
        check("copy-bad-ref", failed == 1 && batch.status(1) != GrantStatus.OKAY,
                "bad ref segment status " + GrantStatus.name(batch.status(1)) + ", " + failed + " failed");
    }

    private void probeBadMap(GrantTable grants) {
        try {
            GrantMapping m = grants.map(domid, new int[] {BAD_REF}, 1, false);
            grants.unmap(m);
            check("map-bad-ref", false, "a bad ref mapped");
        } catch (GrantException e) {
            check("map-bad-ref", gntdevMappings() == 2, "refused: " + e.getMessage()
                    + "; gntdev mappings " + gntdevMappings() + " (the two rings)");
        }
    }

    private void probeEvents(EventChannel events) {
        int tx = events.bindInterdomain(domid, txPort);
        int rx = rxPort < 0 ? -1 : events.bindInterdomain(domid, rxPort);
        ok("bind", "remote " + txPort + " -> local " + tx + (rx < 0 ? "" : ", remote " + rxPort + " -> local " + rx));
        // Xen marks a freshly bound port pending: drain what is there, unmasking each.
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int p = events.waitPending(200_000_000L);
            if (p < 0) {
                break;
            }
            seen.append(p).append(' ');
            events.unmask(p);
        }
        check("pending-after-bind", seen.length() > 0, "delivered: " + (seen.length() == 0 ? "none" : seen.toString().trim()));
        events.notify(tx);
        if (rx >= 0) {
            events.notify(rx);
        }
        ok("notify", "sent an event on each bound port");
        events.unbind(tx);
        if (rx >= 0) {
            events.unbind(rx);
        }
        ok("unbind", "both ports unbound");
    }

    private void ok(String step, String detail) {
        out.println("PROBE ok " + step + ": " + detail);
        out.flush();
    }

    private void check(String step, boolean passed, String detail) {
        if (passed) {
            ok(step, detail);
        } else {
            failures++;
            out.println("PROBE FAIL " + step + ": " + detail);
            out.flush();
        }
    }

    /** Lines of /proc/self/maps backed by /dev/xen/gntdev: one per live mapped region. */
    private static long gntdevMappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("gntdev")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
