package org.xnb.vnic.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xnb.vnic.tap.TapConfig;
import org.xnb.vnic.tap.TapDevice;

/**
 * Everything a networking test creates in the kernel (namespaces, TAP devices, processes), made
 * through here and removed afterwards in reverse order, also when the test fails. Use it as a
 * JUnit 5 extension:
 *
 * <pre>
 *  &#64;RegisterExtension final NetFixture net = new NetFixture();   // cleaned after each test
 *  &#64;RegisterExtension static final NetFixture NET = new NetFixture(); // cleaned after the class
 *
 *  NetNs ns = net.namespace("tapit");                       // xnb-tapit-&lt;pid&gt;-&lt;n&gt;
 *  TapDevice tap = net.tap(TapConfig.builder().standardOffloads(true)); // named xt&lt;pid&gt;x&lt;n&gt;
 *  BackgroundProcess server = net.start(ns, "iperf3", "-s", "-1");
 * </pre>
 *
 * or as a plain AutoCloseable in try-with-resources. Before its first use in a JVM it checks for
 * root (a failure with one clear line, never a skip) and sweeps stale objects of crashed runs
 * ({@link StaleSweep}).
 */
public final class NetFixture implements AutoCloseable, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterAllCallback {
    /** Bounded: a test that creates more than this is broken. */
    public static final int MAX_RESOURCES = 256;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        prepare();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prepare();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private static void prepare() {
        RequireRoot.check();
        StaleSweep.oncePerJvm();
    }

    /** A new namespace {@code xnb-<tag>-<pid>-<n>}, deleted at clean-up. */
    public NetNs namespace(String tag) {
        prepare();
        return track(NetNs.create(tag));
    }

    /** Opens a TAP device; unless the builder named it, it is named {@code xt<pid>x<n>}. Closed at clean-up. */
    public TapDevice tap(TapConfig.Builder builder) {
        prepare();
        TapConfig probe = builder.build();
        TapConfig config = probe.name().isEmpty() ? builder.name(TestNames.iface()).build() : probe;
        TapDevice tap = TapDevice.open(config);
        track(() -> {
            if (config.persistent()) {
                tap.setPersistent(false);
            }
            tap.close();
        });
        return tap;
    }

    /** Starts a command inside {@code ns}; killed at clean-up. */
    public BackgroundProcess start(NetNs ns, String... command) {
        return track(ns.start(command));
    }

    /** Registers anything else to close at clean-up (before what was registered earlier). */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        if (resources.size() >= MAX_RESOURCES) {
            throw new IllegalStateException("test fixture holds " + MAX_RESOURCES + " resources already");
        }
        resources.push(resource);
        return resource;
    }

    /** How many resources are waiting for clean-up. */
    public synchronized int size() {
        return resources.size();
    }

    /**
     * Closes everything, newest first; every close runs even if an earlier one fails. The first
     * failure is rethrown (a checked one wrapped), later ones are attached as suppressed.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = resources.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = e instanceof RuntimeException ? (RuntimeException) e
                            : new IllegalStateException("test clean-up failed: " + e, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
