package org.xnb.harness.hypervisor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.xnb.grant.XenPage;

/**
 * A simulated guest in its own JVM, driven by the cross-process tests.
 * <pre>
 *   serve DIR DOMID BACKEND      grants frames 4, 1, 9 (patterned) and offers a port, prints
 *                                "ready PORT REF REF REF", then obeys stdin: echo | end | close | quit
 *   pingpong DIR DOMID BACKEND N offers a port, prints "ready PORT", then N times: wait, unmask, notify
 * </pre>
 */
public final class GuestProcessMain {
    static final int[] FRAMES = {4, 1, 9};
    private static final long TEN_SECONDS = 10_000_000_000L;

    private GuestProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int domid = Integer.parseInt(args[2]);
        int backend = Integer.parseInt(args[3]);
        try (HarnessGuest guest = new HarnessGuest(dir, domid)) {
            int rc = switch (args[0]) {
                case "serve" -> serve(guest, backend);
                case "pingpong" -> pingPong(guest, backend, Integer.parseInt(args[4]));
                default -> throw new IllegalArgumentException(args[0]);
            };
            System.out.flush();
            System.exit(rc);
        }
    }

    private static int serve(HarnessGuest guest, int backend) throws Exception {
        int[] refs = new int[FRAMES.length];
        for (int i = 0; i < FRAMES.length; i++) {
            for (int b = 0; b < XenPage.SIZE; b++) {
                guest.memory().putByte(HarnessGuest.frameOffset(FRAMES[i]) + b, HarnessFixture.pattern(FRAMES[i], b));
            }
            refs[i] = guest.grantAccess(FRAMES[i], backend, false);
        }
        HarnessEventChannel events = guest.openEventChannel();
        int port = events.allocateUnbound(backend);
        System.out.println("ready " + port + " " + refs[0] + " " + refs[1] + " " + refs[2]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String cmd = stdin.readLine(); cmd != null; cmd = stdin.readLine()) {
            switch (cmd) {
                case "echo" -> {
                    int fired = events.waitPending(TEN_SECONDS);
                    if (fired != port) {
                        System.out.println("no event (" + fired + ")");
                        break;
                    }
                    events.unmask(port);
                    int at = HarnessGuest.frameOffset(FRAMES[2]);
                    int value = guest.memory().getIntVolatile(at);
                    guest.memory().putIntVolatile(at + 4, value + 1);
                    events.notify(port);
                    System.out.println("echoed " + value);
                }
                case "end" -> System.out.println("end " + guest.tryEndAccess(refs[0]));
                case "close" -> {
                    events.close();
                    System.out.println("closed");
                }
                case "quit" -> {
                    events.close();
                    return 0;
                }
                default -> System.out.println("unknown " + cmd);
            }
        }
        return 1;
    }

    private static int pingPong(HarnessGuest guest, int backend, int rounds) {
        try (HarnessEventChannel events = guest.openEventChannel()) {
            int port = events.allocateUnbound(backend);
            System.out.println("ready " + port);
            for (int i = 0; i < rounds; i++) {
                int fired = events.waitPending(TEN_SECONDS);
                if (fired != port) {
                    System.out.println("lost wake-up in round " + i + " (" + fired + ")");
                    return 2;
                }
                events.unmask(port);
                events.notify(port);
            }
            System.out.println("done");
            return 0;
        }
    }
}
