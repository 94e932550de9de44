package org.xnb.vnic.tap;

/**
 * Opens a TAP device and reports the outcome, for {@code TapDeviceIT}, which runs it in a child
 * JVM stripped of capabilities to see the error a non-root user gets. Prints "opened NAME" and
 * exits 0, or prints the exception message to stderr and exits 1.
 */
public final class OpenTapMain {
    private OpenTapMain() {
    }

    public static void main(String[] args) {
        try (TapDevice tap = TapDevice.open(TapConfig.builder().name(args.length > 0 ? args[0] : "").build())) {
            System.out.println("opened " + tap.name());
        } catch (TapException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
