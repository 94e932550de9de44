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

/** The flow commands in-process against a real admin socket over real flow tables: output, flowadm's rules, errors. */
class FlowCommandsTest {
    @TempDir
    Path dir;
    private Path sock;
    private AdminServer server;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() {
        sock = dir.resolve("admin.sock");
        server = AdminServer.start(sock, new AdminDispatcher(new FakeFlowBackend()));
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

    private void ok(Run r) {
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void addShowSetResetRemove() {
        ok(admin("add-flow", "-l", "vif1.0", "-a", "transport=tcp,local_port=80", "-p", "maxbw=50M", "http"));
        ok(admin("add-flow", "-l", "vif1.0", "-a", "transport=TCP,local_port=443", "https"));
        ok(admin("add-flow", "-l", "vif12.0", "-a", "remote_ip=198.18.0.0/24", "-p", "priority=high", "lan"));
        assertEquals("FLOW  LINK    " + "IPADDR" + " ".repeat(12) + "PROTO LPORT RPORT DSFLD\n"
                + "http  vif1.0  --" + " ".repeat(16) + "tcp   80    --    --\n"
                + "https vif1.0  --" + " ".repeat(16) + "tcp   443   --    --\n"
                + "lan   vif12.0 RMT:198.18.0.0/24 --    --    --    --\n", admin("show-flow").out());
        assertEquals("http:50:medium\nhttps:--:medium\n",
                admin("show-flow", "-l", "vif1.0", "-p", "-o", "FLOW,MAXBW,PRIORITY").out());
        assertEquals("lan:vif12.0:0:0:0:0:0\n", admin("show-flow", "-s", "-p", "-o", "all", "lan").out());
        assertEquals("""
                FLOW PROPERTY VALUE  DEFAULT POSSIBLE
                http maxbw    50     --      --
                http priority medium medium  low,medium,high
                """, admin("show-flowprop", "http").out());
        ok(admin("set-flowprop", "-p", "maxbw=10M,priority=low", "http"));
        assertEquals("http:maxbw:10\nhttp:priority:low\n",
                admin("show-flowprop", "-p", "-o", "FLOW,PROPERTY,VALUE", "http").out());
        ok(admin("reset-flowprop", "-p", "maxbw", "http"));
        assertEquals("--:low\n", admin("show-flow", "-p", "-o", "MAXBW,PRIORITY", "http").out()
                .replace("\\", ""));
        ok(admin("reset-flowprop", "http"));
        assertEquals("--:medium\n", admin("show-flow", "-p", "-o", "MAXBW,PRIORITY", "http").out());
        ok(admin("remove-flow", "http"));
        ok(admin("remove-flow", "-l", "vif1.0"));
        assertEquals("lan\n", admin("show-flow", "-p", "-o", "FLOW").out());
    }

    @Test
    void badArgumentsSayWhatWasWrongAndWhatIsAllowed() {
        Run r = admin("add-flow", "-l", "vif1.0", "-a", "transport=tcp,local_port=80,remote_port=81", "web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("local_port and remote_port cannot be combined; flowadm allows one of: local_ip"),
                r.err());
        r = admin("add-flow", "-l", "vif1.0", "-a", "local_port=80", "web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("local_port needs transport=tcp, udp or sctp"), r.err());
        r = admin("add-flow", "-l", "vif1.0", "-a", "transport=tcp", "-p", "maxbw=1Q", "web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("maxbw"), r.err());
        r = admin("add-flow", "-l", "vif1.0", "-a", "transport=tcp", "9web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("begins with a letter"), r.err());
        r = admin("add-flow", "-l", "vif1.0", "web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required option: '--attr=ATTR=VALUE[,...]'"), r.err());
        r = admin("remove-flow");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("give either -l LINK or FLOW"), r.err());
        r = admin("reset-flowprop", "-p", "cpus", "web");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("-p: unknown property 'cpus'; allowed: maxbw, priority"), r.err());
        r = admin("show-flow", "-s", "-o", "FLOW,SPEED");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("allowed: FLOW,LINK,IPKTS,RBYTES,OPKTS,OBYTES,DROPS or all"), r.err());

        // the daemon's refusals: exit 1, its line
        ok(admin("add-flow", "-l", "vif1.0", "-a", "transport=tcp", "web"));
        r = admin("add-flow", "-l", "vif1.0", "-a", "local_ip=198.18.0.1", "dns");
        assertEquals(1, r.exit());
        assertEquals("xnb add-flow: flow dns is of type local_ip but link vif1.0 has flows of type transport (web);"
                + " flowadm allows one type of flow per link\n", r.err());
        r = admin("add-flow", "-l", "vif9.0", "-a", "transport=tcp", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no link 'vif9.0'"), r.err());
        r = admin("show-flowprop", "nope");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no flow 'nope'; the flows are: web"), r.err());
    }

    @Test
    void everyHelpHasAnExample() {
        for (String cmd : List.of("add-flow", "remove-flow", "show-flow", "set-flowprop", "reset-flowprop",
                "show-flowprop", "snoop")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("Example") && r.out().contains("bin/xnb " + cmd), cmd + ":\n" + r.out());
        }
    }
}
