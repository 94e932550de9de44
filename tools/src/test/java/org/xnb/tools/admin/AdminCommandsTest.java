package org.xnb.tools.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import picocli.CommandLine;

/** The admin commands in-process against a real admin socket served over a fake backend: exact output, errors. */
class AdminCommandsTest {
    @TempDir
    Path dir;
    private Path sock;
    private AdminServer server;
    private final FakeLinkAdmin admin = new FakeLinkAdmin();

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() {
        sock = dir.resolve("admin.sock");
        server = AdminServer.start(sock, new AdminDispatcher(admin));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run admin(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--admin-socket";
        all[2] = sock.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }

    @Test
    void showVnicPrintsAlignedColumnsAndParseableFields() {
        Run r = admin("show-vnic");
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                LINK    OVER   MACADDRESS        STATE    GUEST
                vif1.0  xnb0   00:16:3e:00:00:01 up       xnb-g1
                vif12.0 xenbr0 00:16:3e:0a:0b:0c disabled --
                """, r.out());
        assertEquals("vif1.0\nvif12.0\n", admin("show-vnic", "-p", "-o", "LINK").out());
        // more than one field: ':' inside a value is escaped
        assertEquals("vif1.0:00\\:16\\:3e\\:00\\:00\\:01\n", admin("show-vnic", "-p", "-o", "link,MACADDRESS", "vif1.0").out());
        assertEquals("LINK    DOMID\nvif1.0  1\nvif12.0 12\n", admin("show-vnic", "-o", "LINK,DOMID").out());
    }

    @Test
    void showLinkAndItsStatistics() {
        assertEquals("""
                LINK    CLASS STATE    OVER
                vif1.0  vnic  up       xnb0
                vif12.0 vnic  disabled xenbr0
                """, admin("show-link").out());
        assertEquals("vif1.0:1:2:0\n", admin("show-link", "-s", "-p", "-o", "LINK,MACSPOOFED,IPSPOOFED,MTUDROPS",
                "vif1.0").out());
    }

    @Test
    void showLinkpropShowsValueAndEffectiveAndSetResetChangeThem() {
        assertEquals("""
                LINK   PROPERTY    PERM VALUE                    EFFECTIVE                DEFAULT POSSIBLE
                vif1.0 maxbw       rw   --                       2.4                      --      --
                vif1.0 allowed-ips rw   198.18.0.1,2001:db8::/64 198.18.0.1,2001:db8::/64 --      --
                """, admin("show-linkprop", "vif1.0").out());
        Run set = admin("set-linkprop", "-t", "-p", "maxbw=100M", "vif1.0");
        assertEquals(0, set.exit(), set.err());
        assertEquals("", set.out());
        assertEquals(List.of("set vif1.0 maxbw=100M -t"), admin.calls);
        assertEquals("maxbw:100:100\nallowed-ips:198.18.0.1,2001\\:db8\\:\\:/64:198.18.0.1,2001\\:db8\\:\\:/64\n",
                admin("show-linkprop", "-p", "-o", "PROPERTY,VALUE,EFFECTIVE", "vif1.0").out());
        assertEquals(0, admin("reset-linkprop", "-p", "maxbw", "vif1.0").exit());
        assertEquals("maxbw:--\n", admin("show-linkprop", "-p", "-o", "property,value", "vif1.0").out().lines()
                .findFirst().get() + "\n");
    }

    @Test
    void badArgumentsSayWhatWasWrongAndWhatIsAllowed() {
        Run r = admin("show-vnic", "-p");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("-p needs -o FIELD[,FIELD...]; fields: LINK,OVER,MACADDRESS,STATE,GUEST,DOMID,MAXBW,VID"), r.err());
        r = admin("show-vnic", "-o", "LINK,SPEED");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("-o: unknown field 'SPEED'; allowed: LINK,OVER,MACADDRESS,STATE,GUEST,DOMID,MAXBW,VID or all"),
                r.err());
        r = admin("set-linkprop", "-p", "maxbw=100X", "vif1.0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("maxbw: unknown unit 'X' in '100X'; expected a number with K, M or G"), r.err());
        r = admin("set-linkprop", "-p", "speed=1", "vif1.0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("speed") && r.err().contains("maxbw"), r.err());
        r = admin("set-linkprop", "vif1.0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required option: '--prop=PROP=VALUE[,...]'"), r.err());
        r = admin("reset-linkprop", "-p", "maxbw,colour", "vif1.0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("-p: unknown property 'colour'; allowed: maxbw, priority, cpus, protection, "
                + "allowed-ips, mtu"), r.err());
        assertTrue(admin.calls.isEmpty(), "nothing reached the daemon: " + admin.calls);
        // the daemon's refusal: exit 1, its line
        r = admin("set-linkprop", "-p", "maxbw=100M", "vif9.0");
        assertEquals(1, r.exit());
        assertEquals("xnb set-linkprop: no link 'vif9.0'; the connected vifs are: vif1.0, vif12.0\n", r.err());
    }

    @Test
    void withoutADaemonTheCommandsSaySoClearly() {
        Path none = dir.resolve("none.sock");
        for (String cmd : List.of("show-vnic", "show-link", "show-linkprop")) {
            Run r = run(cmd, "--admin-socket", none.toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("xnb " + cmd + ": no xnb daemon is listening on " + none), r.err());
        }
        Run r = run("set-linkprop", "--admin-socket", none.toString(), "-p", "priority=high", "vif1.0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no xnb daemon is listening on " + none), r.err());
    }

    @Test
    void everyHelpHasAnExample() {
        for (String cmd : List.of("show-vnic", "show-link", "show-linkprop", "set-linkprop", "reset-linkprop")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("Example") && r.out().contains("bin/xnb " + cmd), cmd + ":\n" + r.out());
            assertTrue(r.out().contains("--admin-socket"), r.out());
        }
    }
}
