package org.xnb.tools.daemon;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.xenstored.XenstoredServer;
import org.xnb.vnic.testing.EtherFrames;
import org.xnb.xenstore.UnixSocketTransport;
import org.xnb.xenstore.XenstoreClient;

/**
 * A guest on the harness with one vif: the xenbus side on the guest's own xenstore connection
 * (Linux 6.1 netfront's keys, XEN-RIG.md) and the data path as {@link MockNetfront}, plus a
 * thread that answers ARP requests for its address and ICMP echo requests, so dom0 can ping it.
 */
final class RespondingGuest implements AutoCloseable {
    // MockNetfront is single-threaded: the responder thread and send() take turns on it
    final int domid;
    volatile String mac;
    final String ip;
    final MockNetfront front;
    final XenstoreClient xs;
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong echoesAnswered = new AtomicLong();
    /** The last frame received. */
    final AtomicReference<byte[]> last = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile byte[] macBytes;
    private final int ipValue;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]); // the responder thread's
    private volatile boolean running = true;
    private Thread thread;

    RespondingGuest(HarnessHost host, XenstoredServer server, int domid, String mac, String ip) throws Exception {
        this.domid = domid;
        this.mac = mac;
        this.ip = ip;
        this.macBytes = mac == null ? null : EtherFrames.mac(mac);
        this.ipValue = EtherFrames.ipv4(ip);
        Path socket = server.introduceDomain(domid);
        this.xs = XenstoreClient.connect(UnixSocketTransport.connect(socket));
        this.front = new MockNetfront(host, domid);
    }

    /** The MAC the toolstack gave the vif, when it is known only after the guest exists. */
    void useMac(String value) {
        macBytes = EtherFrames.mac(value);
        mac = value;
    }

    /** Publishes the rings and the event channel and says Connected, as netfront's talk_to_netback. */
    void connect(int devid) {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("tx-ring-ref", Integer.toString(front.txRingRef));
        k.put("rx-ring-ref", Integer.toString(front.rxRingRef));
        k.put("event-channel", Integer.toString(front.port));
        k.put("request-rx-copy", "1");
        k.put("feature-rx-notify", "1");
        k.put("feature-sg", "1");
        k.put("feature-gso-tcpv4", "1");
        k.put("feature-gso-tcpv6", "1");
        k.put("feature-ipv6-csum-offload", "1");
        k.put("multi-queue-num-queues", "1");
        String dir = "device/vif/" + devid;
        xs.transaction(tx -> {
            k.forEach((key, v) -> tx.write(dir + "/" + key, v));
            return null;
        });
        xs.write(dir + "/state", "4");
        // netfront's backend_changed(): the backend Closing -> we are Closed (what libxl's removal waits for)
        String backendState = "/local/domain/0/backend/vif/" + domid + "/" + devid + "/state";
        xs.watch(backendState, "guest-be-" + devid, ev -> {
            try {
                if ("5".equals(xs.readString(backendState))) {
                    xs.write(dir + "/state", "6");
                }
            } catch (RuntimeException e) {
                // the nodes are going away: nothing to answer
            }
        });
    }

    /** Sends one frame from the guest. */
    void send(byte[] frame) {
        synchronized (front) {
            front.postPacket(frame);
            framesSent.incrementAndGet();
            if (front.pushTx()) {
                front.events.notify(front.port);
            }
        }
    }

    /** Posts Rx buffers and starts answering. */
    void startResponding() {
        front.postRx(MockNetfront.RX_DATA_FRAMES / 2);
        front.events.notify(front.port);
        thread = new Thread(this::run, "guest" + domid);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                int consumed = 0;
                java.util.List<MockNetfront.RxSlot> slots;
                synchronized (front) {
                    slots = front.rxResponses();
                }
                for (MockNetfront.RxSlot s : slots) {
                    consumed++;
                    if (s.status() > 0) {
                        byte[] frame;
                        synchronized (front) {
                            frame = front.rxData(s.id(), s.offset(), s.status());
                        }
                        framesReceived.incrementAndGet();
                        last.set(frame);
                        answer(frame);
                    }
                }
                synchronized (front) {
                    if (consumed > 0) {
                        front.postRx(consumed);
                        front.events.notify(front.port);
                    }
                    front.skipTxResponses();
                }
                if (consumed == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.set(e);
        }
    }

    private void answer(byte[] frame) {
        UnsafeBuffer in = new UnsafeBuffer(frame);
        int n = 0;
        if (EtherFrames.isArpRequestFor(in, 0, frame.length, ipValue)) {
            n = EtherFrames.writeArpReply(in, 0, out, 0, macBytes);
        } else if (EtherFrames.isEchoRequestTo(in, 0, frame.length, ipValue)) {
            n = EtherFrames.writeEchoReply(in, 0, frame.length, out, 0, macBytes);
            echoesAnswered.incrementAndGet();
        }
        if (n > 0) {
            byte[] reply = new byte[n];
            out.getBytes(0, reply);
            send(reply);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
        front.close();
        xs.close();
    }
}
