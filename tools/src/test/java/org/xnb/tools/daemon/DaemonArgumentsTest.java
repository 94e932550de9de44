package org.xnb.tools.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** Bad arguments to daemon/attach/detach: exit 2 and one line naming what was wrong and what is allowed. */
class DaemonArgumentsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "daemon --link xenbr0|Invalid value for option '--link' (SPEC): 'xenbr0' is not a link: expected NAME=etherstub or NAME=tap",
        "daemon --link x=vde|unknown kind 'vde' (allowed: etherstub, tap)",
        "daemon --link x=tap,mtu=1|unknown option 'mtu' (allowed: ifname, netns, address, bridge)",
        "daemon --domid -1|--domid must be a domain id 0..32751, not -1",
        "daemon --harness /nonexistent/xnb|--harness /nonexistent/xnb is not a directory",
        "daemon --domid x|Invalid value for option '--domid'",
        "daemon --threads shared:0|'shared:0' is not dedicated (a thread per vif, the default) or shared:N",
        "daemon --threads pool|'pool' is not dedicated (a thread per vif, the default) or shared:N",
        "daemon --max-queues 0|--max-queues must be 1..64 (queues a guest may use per vif), not 0",
        "daemon --max-queues 65|--max-queues must be 1..64 (queues a guest may use per vif), not 65",
        "daemon --max-queues many|Invalid value for option '--max-queues'",
        "daemon --harness /tmp|--harness: /tmp is not a harness directory (no hypervisor)",
        "daemon --config /tmp|--config /tmp is a directory; give the configuration file's path, e.g. /tmp/xnb.conf",
        "attach|Missing required option: '--domain=N'",
        "attach --domain 0|--domain must be a guest domain 1..32751, not 0",
        "attach --domain 5 --mac 01:16:3e:00:00:01|--mac must be a unicast MAC like 00:16:3e:12:34:56, not '01:16:3e:00:00:01'",
        "attach --domain 5 --mac 00:16:3e:00:01|--mac must be a unicast MAC",
        "attach --domain 5 --rate 10Mb/s|--rate must be BYTES,USEC (two unsigned numbers), not '10Mb/s'",
        "attach --domain 5 --link a/b|--link must be a link name",
        "attach --domain 5 --devid -2|--devid must be 0 or more, not -2",
        "detach --domain 5|Missing required option: '--devid=D'",
    })
    void badArgumentsExitTwoWithAClearMessage(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute(args.split(" ")), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"daemon", "attach", "detach", "dlstat"})
    void helpHasAnExample(String command) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute(command, "--help"));
        assertTrue(out.toString().contains("Examples:") && out.toString().contains("bin/xnb " + command), out.toString());
    }

    @org.junit.jupiter.api.Test
    void aHarnessWithoutTheBackendDomainOrItsXenstoredIsRefusedBeforeAnythingStarts() {
        try (org.xnb.harness.hypervisor.ScratchDirectory dir = new org.xnb.harness.hypervisor.ScratchDirectory(null,
                "xnb-daemon-args-")) {
            org.xnb.harness.hypervisor.HarnessDirectory.create(dir.path()).close();
            assertError("--harness " + dir.path() + " has no domain 0 (the backend domain must be created",
                    "daemon", "--harness", dir.path().toString());
            try (org.xnb.harness.hypervisor.HarnessDirectory h = org.xnb.harness.hypervisor.HarnessDirectory.open(dir.path())) {
                h.createDomain(0, 0, 16, 16);
            }
            assertError("has no xenstored.sock (start its xenstored first)", "daemon", "--harness", dir.path().toString());
        }
    }

    private static void assertError(String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute(args), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }

    @org.junit.jupiter.api.Test
    void aRandomMacIsXensOuiPlusThreeBytes() {
        String mac = AttachCommand.randomMac();
        assertTrue(mac.matches("00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}"), mac);
    }
}
