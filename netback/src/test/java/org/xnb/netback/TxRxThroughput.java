package org.xnb.netback;

import org.xnb.grant.netif.Netif;
import org.xnb.harness.netfront.HarnessHost;
import org.xnb.harness.netfront.MockNetfront;
import org.xnb.harness.netfront.Packets;

/**
 * Not a test: an in-process measurement of 64-byte packets through guest A's Tx engine, straight
 * into guest B's Rx engine, on the harness, everything (both mock guests included) on one thread.
 *
 * <pre>
 *   mvn -q -B -o test-compile -pl netback
 *   java -cp "netback/target/test-classes:netback/target/classes:$(cat /tmp/cp.txt)" \
 *        org.xnb.netback.TxRxThroughput [seconds] [frameBytes]
 * </pre>
 */
public final class TxRxThroughput {
    private TxRxThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int batch = Netif.TX_RING_SIZE / 2;
        try (HarnessHost host = new HarnessHost();
                MockNetfront a = new MockNetfront(host, HarnessHost.GUEST_A);
                MockNetfront b = new MockNetfront(host, HarnessHost.GUEST_B)) {
            BackendQueue backA = new BackendQueue(host, a, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
            BackendQueue backB = new BackendQueue(host, b, VifFeatures.LINUX_DEFAULT, Clock.SYSTEM);
            try {
                backA.sink = backB.rx;
                int f = a.takeTxFrame();
                a.memory.putBytes(MockNetfront.txFrameOffset(f), Packets.packet(size, 1));
                int ref = a.txRef(f);
                b.postRx(Netif.RX_RING_SIZE);
                for (int phase = 0; phase < 2; phase++) {
                    long start = System.nanoTime();
                    long end = start + (long) ((phase == 0 ? 1 : seconds) * 1e9);
                    long before = backB.rx.counters().packets;
                    long now;
                    do {
                        for (int i = 0; i < batch; i++) {
                            a.postTx(ref, 0, 0, i, size);
                        }
                        a.pushTx();
                        backA.tx.doWork();
                        for (int k = 0; k < 4 && backB.rx.queuedFrames() > 0; k++) {
                            backB.rx.doWork();
                            b.skipRxResponses();
                            b.postRx(b.rx.freeRequests());
                        }
                        a.skipTxResponses();
                        now = System.nanoTime();
                    } while (now < end);
                    long packets = backB.rx.counters().packets - before;
                    if (phase == 1) {
                        System.out.printf("%d-byte frames guest A Tx -> guest B Rx: %.2f Mpps (%d packets in %.2f s, "
                                + "drops %d)%n", size, packets / ((now - start) / 1e3), packets, (now - start) / 1e9,
                                backB.rx.counters().droppedQueueFull);
                    }
                }
            } finally {
                backA.close();
                backB.close();
            }
        }
    }
}
