package org.xnb.vnic.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The precondition of every networking integration test: root (namespaces, TAP devices) and the
 * tools. Failing here is a test FAILURE with one clear line, never a silent skip, so a CI run
 * without root cannot look green.
 */
public final class RequireRoot {
    private RequireRoot() {
    }

    public static void check() {
        checkUid(uid());
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new AssertionError("no /dev/net/tun: load the tun module (modprobe tun)");
        }
        for (String tool : new String[] {"/usr/sbin/ip", "/usr/bin/ip", "/sbin/ip", "/bin/ip"}) {
            if (Files.isExecutable(Path.of(tool))) {
                return;
            }
        }
        throw new AssertionError("iproute2's ip is not installed (apt-get install iproute2)");
    }

    /** The root part of {@link #check()}, given the effective uid. */
    static void checkUid(String uid) {
        if (!"0".equals(uid)) {
            throw new AssertionError("these integration tests need root (uid 0) for network namespaces and TAP devices;"
                    + " running as uid " + uid + ". Run them as root, e.g. sudo bin/test, or only the unit tests: mvn test");
        }
    }

    /** Checks that a Debian tool a test needs is installed, naming the package when not. */
    public static void requireTool(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage + " (bin/test installs it)");
    }

    private static String uid() {
        try {
            // /proc/self/status "Uid:\treal\teffective\t..."; the effective uid is what counts
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2];
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read /proc/self/status to check for root: " + e.getMessage(), e);
        }
        throw new AssertionError("no Uid line in /proc/self/status");
    }
}
