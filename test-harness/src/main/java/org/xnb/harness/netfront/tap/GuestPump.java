package org.xnb.harness.netfront.tap;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.netif.ExtraInfo;
import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.NetfrontDevice;
import org.xnb.vnic.tap.FdPoller;
import org.xnb.vnic.tap.TapQueue;
import org.xnb.vnic.tap.VirtioNetHeader;

/**
 * One guest's netfront loop: the guest kernel (a TAP queue) to the Tx ring and the Rx ring to
 * the kernel, refilling Rx buffers, in bounded batches; it sleeps in poll(2) on the event
 * channel and the TAP fd after re-arming both rings' response events. Without a TAP (a plain
 * mock guest) it only takes and counts what it receives.
 *
 * <pre>
 *  TAP read:  virtio_net_hdr | frame   ->  NEEDS_CSUM -> NETTXF_csum_blank|data_validated,
 *                                          DATA_VALID -> NETTXF_data_validated,
 *                                          GSO TCPV4/6 -> XEN_NETIF_EXTRA_TYPE_GSO (gso_size)
 *  Rx ring:   NETRXF_csum_blank -> NEEDS_CSUM (csum_start/offset parsed from the headers),
 *             NETRXF_data_validated -> DATA_VALID, GSO extra -> gso_type/gso_size/hdr_len
 * </pre>
 *
 * <p>Nothing is allocated per frame: one scratch buffer each way, preallocated pollers.
 */
public final class GuestPump implements Runnable {
    /** Frames moved each way before looking at the other way again. */
    public static final int BATCH = 64;
    private static final int HDR = VirtioNetHeader.SIZE_V1;
    private static final int POLL_MS = 200;

    private final NetfrontDevice dev;
    private final TapQueue tap;
    /** Without a TAP: frames to send (a mock guest's traffic), or null. */
    private final FrameSource source;
    private final UnsafeBuffer txBuf;
    private final UnsafeBuffer rxBuf;
    private final FdPoller both;
    private final FdPoller eventsOnly;
    private final TransportOffsets offsets = new TransportOffsets();
    private volatile boolean running = true;
    /** Bytes (header included) of a TAP frame read but not yet on the ring (it did not fit). */
    private int pendingTx;
    private long tapDrops;
    private volatile Throwable failure;

    /** {@code tap} may be null: a guest without a kernel that drops what it receives. */
    public GuestPump(NetfrontDevice dev, TapQueue tap) {
        this(dev, tap, null);
    }

    /** Without a TAP, {@code source} (may be null) gives the frames the guest sends. */
    public GuestPump(NetfrontDevice dev, TapQueue tap, FrameSource source) {
        this.dev = dev;
        this.tap = tap;
        this.source = tap == null ? source : null;
        ByteBuffer t = BufferUtil.allocateDirectAligned(TapQueue.MIN_READ_CAPACITY + HDR + 64, 64);
        ByteBuffer r = BufferUtil.allocateDirectAligned(HDR + 256 * 4096, 64);
        this.txBuf = new UnsafeBuffer(t);
        this.rxBuf = new UnsafeBuffer(r);
        this.eventsOnly = new FdPoller(dev.eventFd());
        this.both = tap == null ? eventsOnly : new FdPoller(dev.eventFd(), tap.fd());
    }

    @Override
    public void run() {
        try {
            dev.refillRx();
            dev.pushTx();
            while (running) {
                dev.drainEvents();
                int work = dev.reapTx();
                work += rxToKernel();
                dev.refillRx();
                work += kernelToTx();
                dev.pushTx();
                if (work == 0 && !dev.finalCheck()) {
                    // with a frame waiting for ring space only a Tx response can help: do not spin on the TAP fd
                    // a frame source may be paced: look again soon rather than in POLL_MS
                    (pendingTx > 0 ? eventsOnly : both).poll(source != null ? 1 : POLL_MS);
                }
            }
        } catch (Throwable t) {
            failure = t;
            if (running) {
                System.err.println("guest pump stopped: " + t);
            }
        }
    }

    private int rxToKernel() {
        int n = 0;
        for (; n < BATCH; n++) {
            int length = dev.receive(rxBuf, HDR, rxBuf.capacity() - HDR);
            if (length == 0) {
                break;
            }
            // the frame is copied out: give its slots back before the (slow) TAP write, so the
            // backend can fill them meanwhile instead of dropping for want of buffers
            dev.refillRx();
            if (length > 0 && tap != null) {
                VnetTranslation.writeRxHeader(rxBuf, 0, HDR, length, dev.rxFlags(), dev.rxGsoType(), dev.rxGsoSize(),
                        offsets);
                if (tap.write(rxBuf.addressOffset(), HDR + length) == 0) {
                    tapDrops++;
                }
            }
        }
        return n;
    }

    private int kernelToTx() {
        if (tap == null && source == null) {
            return 0;
        }
        int n = 0;
        for (; n < BATCH; n++) {
            if (pendingTx == 0) {
                // a source's frame goes after a zero virtio header (no offloads), as a TAP's would
                pendingTx = tap != null ? tap.read(txBuf.addressOffset(), txBuf.capacity())
                        : sourced(source.next(txBuf, HDR, txBuf.capacity() - HDR));
                if (pendingTx == 0) {
                    break;
                }
            }
            if (!sendPending()) {
                break;
            }
        }
        return n;
    }

    private int sourced(int length) {
        if (length == 0) {
            return 0;
        }
        txBuf.setMemory(0, HDR, (byte) 0);
        return HDR + length;
    }

    /** Puts the pending TAP frame on the Tx ring; false if the ring has no room yet. */
    private boolean sendPending() {
        int length = pendingTx - HDR;
        int xenGso = VnetTranslation.xenGsoType(VirtioNetHeader.gsoType(txBuf, 0));
        if (length < 14 || length > Netif.MAX_TX_SIZE || NetfrontDevice.dataSlots(length) > NetfrontDevice.MAX_TX_SLOTS
                || xenGso == VnetTranslation.UNSUPPORTED) {
            tapDrops++;
            pendingTx = 0;
            return true;
        }
        if (!dev.canSend(length, xenGso != ExtraInfo.GSO_TYPE_NONE)) {
            return false;
        }
        dev.send(txBuf, HDR, length, VnetTranslation.txFlags(VirtioNetHeader.flags(txBuf, 0)), xenGso,
                VirtioNetHeader.gsoSize(txBuf, 0));
        pendingTx = 0;
        return true;
    }

    public long tapDrops() {
        return tapDrops;
    }

    public Throwable failure() {
        return failure;
    }

    /** Ends the loop within one poll period. */
    public void stop() {
        running = false;
    }
}
