package org.xnb.tools.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.tools.Main;
import org.xnb.tools.config.ConfigStore;
import org.xnb.tools.config.ConfiguredLinks;
import org.xnb.tools.config.Configuration;
import picocli.CommandLine;

/**
 * create-/delete-/show-etherstub, create-/delete-vnic and set-/reset-linkprop with -t/-P in-process
 * over a real admin socket, a fake backend ({@link FakeDatalinks}) and a real configuration file:
 * exact output, what the file holds after each command, errors and exit codes.
 */
class DatalinkCommandsTest {
    @TempDir
    Path dir;
    private AdminServer server;
    private FakeDatalinks live;
    private ConfiguredLinks configured;
    private Path sock;

    record Run(int exit, String out, String err) {
    }

    private void start(Path conf) {
        live = new FakeDatalinks();
        ConfigStore store = new ConfigStore(conf, 4);
        configured = new ConfiguredLinks(store, store.load().configuration(), live, live,
                name -> live.vnics.containsKey(name), 4);
        configured.restore();
        sock = dir.resolve("admin.sock");
        server = AdminServer.start(sock, new AdminDispatcher(live, configured));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Run admin(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--admin-socket";
        all[2] = sock.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private String ok(String command, String... args) {
        Run r = admin(command, args);
        assertEquals(0, r.exit(), command + ": " + r.err());
        return r.out();
    }

    private String body(Path conf) throws Exception {
        String text = Files.readString(conf);
        return text.substring(text.indexOf("xnb-config"));
    }

    @Test
    void createdLinksAreAppliedWrittenAndMadeAgainAtTheNextStart() throws Exception {
        Path conf = dir.resolve("xnb.conf");
        start(conf);
        assertEquals("", ok("create-etherstub", "stub0"));
        ok("create-etherstub", "stub1");
        assertEquals("", ok("create-vnic", "-l", "stub0", "-m", "00:16:3E:00:00:AA", "-p", "maxbw=100M,priority=high",
                "web0"));
        ok("create-vnic", "-l", "stub0", "db0");
        assertEquals("""
                LINK  VNICS
                stub0 db0,web0
                stub1 --
                """, ok("show-etherstub", "-o", "LINK,VNICS"));
        assertEquals("LINK\nstub0\nstub1\n", ok("show-etherstub"));
        assertEquals("stub1:--\n", ok("show-etherstub", "-p", "-o", "link,vnics", "stub1"));
        assertEquals("web0:stub0:100\n", ok("show-vnic", "-p", "-o", "LINK,OVER,MAXBW", "web0"));
        assertEquals("db0:vnic:up:stub0\nvif1.0:vnic:up:xenbr0\nweb0:vnic:up:stub0\nstub0:etherstub:unknown:--\n"
                + "stub1:etherstub:unknown:--\n",
                String.join("\n", ok("show-link", "-p", "-o", "LINK,CLASS,STATE,OVER").lines().sorted((a, b) -> {
                    boolean sa = a.contains(":etherstub:");
                    boolean sb = b.contains(":etherstub:");
                    return sa == sb ? a.compareTo(b) : sa ? 1 : -1;
                }).toList()) + "\n");
        ok("set-linkprop", "-p", "maxbw=50M", "vif1.0");
        assertEquals("""
                xnb-config 1
                etherstub stub0
                etherstub stub1
                vnic web0 over=stub0 mac=00:16:3e:00:00:aa vlan=0 maxbw=100000K priority=high
                vnic db0 over=stub0 mac=00:16:3e:00:00:10 vlan=0
                linkprop vif1.0 maxbw=50000K
                end
                """, body(conf));
        server.close();

        start(conf); // a new daemon: everything made again, MACs kept
        assertEquals(Set.of("stub0", "stub1"), live.stubs);
        assertEquals("00:16:3e:00:00:10", live.vnics.get("db0").mac());
        assertEquals("web0:stub0:100\n", ok("show-vnic", "-p", "-o", "LINK,OVER,MAXBW", "web0"));
        assertEquals("maxbw=50000K", configured.vifProperties("vif1.0"));
        assertEquals(null, configured.vifProperties("vif2.0"));

        // deleting: refused while in use (the daemon's words), then gone from both
        Run inUse = admin("delete-etherstub", "stub0");
        assertEquals(1, inUse.exit());
        assertTrue(inUse.err().startsWith("xnb delete-etherstub: etherstub 'stub0' is in use by VNIC web0 in the "
                + "configuration file " + conf), inUse.err());
        ok("delete-vnic", "web0");
        ok("delete-vnic", "db0");
        ok("delete-etherstub", "stub0");
        ok("reset-linkprop", "-p", "maxbw", "vif1.0");
        assertEquals("xnb-config 1\netherstub stub1\nend\n", body(conf));
        assertEquals(Set.of("stub1"), live.stubs);
    }

    @Test
    void temporaryChangesAreNotWrittenAndPersistentOnlyOnesAreNotApplied() throws Exception {
        Path conf = dir.resolve("xnb.conf");
        start(conf);
        ok("create-etherstub", "-t", "tmp0");
        ok("create-etherstub", "-P", "later0");
        assertEquals(Set.of("tmp0"), live.stubs);
        ok("create-vnic", "-t", "-l", "tmp0", "eph0");
        ok("create-vnic", "-P", "-l", "later0", "-m", "00:16:3e:00:00:33", "pv0");
        assertFalse(live.vnics.containsKey("pv0"));
        ok("set-linkprop", "-t", "-p", "priority=low", "vif1.0");
        ok("set-linkprop", "-P", "-p", "priority=high", "vif1.0");
        assertEquals("low", live.vif.get("priority"), "-P leaves the running vif alone");
        ok("set-linkprop", "-P", "-p", "maxbw=10M", "pv0");
        assertEquals("pv0:later0:10:--\n", ok("show-vnic", "-P", "-p", "-o", "LINK,OVER,MAXBW,STATE"));
        assertEquals(1, admin("show-vnic", "-p", "-o", "LINK", "pv0").exit(), "not made: -P");
        assertEquals("pv0:maxbw:10\nvif1.0:priority:high\n", String.join("\n", ok("show-linkprop", "-P", "-p", "-o",
                "LINK,PROPERTY,VALUE").lines().filter(l -> !l.endsWith(":--")).toList()) + "\n");
        Run tempInFile = admin("set-linkprop", "-p", "maxbw=10M", "eph0");
        assertEquals(1, tempInFile.exit());
        assertTrue(tempInFile.err().contains("eph0: not in the configuration file " + conf + " (made with -t); use -t"),
                tempInFile.err());
        ok("set-linkprop", "-t", "-p", "maxbw=10M", "eph0");
        assertEquals("""
                xnb-config 1
                etherstub later0
                vnic pv0 over=later0 mac=00:16:3e:00:00:33 vlan=0 maxbw=10000K
                linkprop vif1.0 priority=high
                end
                """, body(conf));
        ok("create-vnic", "-l", "tmp0", "-v", "7", "-m", "00:16:3e:00:00:35", "vl0");
        assertEquals("vl0:tmp0:7\n", ok("show-vnic", "-p", "-o", "LINK,OVER,VID", "vl0"));
        assertTrue(body(conf).contains("vnic vl0 over=tmp0 mac=00:16:3e:00:00:35 vlan=7\n"), body(conf));
        ok("delete-vnic", "vl0");
        Run notInFile = admin("delete-vnic", "-P", "eph0");
        assertEquals(1, notInFile.exit());
        assertTrue(notInFile.err().contains("no VNIC 'eph0' in the configuration file"), notInFile.err());
        ok("delete-vnic", "-t", "eph0");
        ok("delete-vnic", "pv0"); // only in the file: removed from it
        ok("delete-etherstub", "-P", "later0");
        ok("reset-linkprop", "-P", "-p", "priority", "vif1.0");
        assertEquals("xnb-config 1\nend\n", body(conf));
        assertEquals(Set.of("tmp0"), live.stubs);
    }

    @Test
    void badArgumentsAreRefusedBeforeAskingAndRefusalsExitOne() {
        start(dir.resolve("xnb.conf"));
        record Case(List<String> argv, String message) {
        }
        for (Case c : List.of(
                new Case(List.of("create-etherstub", "stub"), "invalid etherstub name 'stub'; allowed: a letter first, "
                        + "then letters, digits, '_' or '.', ending in a digit, at most 31 characters (like stub0)"),
                new Case(List.of("create-etherstub", "0stub0"), "invalid etherstub name '0stub0'"),
                new Case(List.of("create-etherstub", "vif1.0"), "vif<domid>.<devid> names are the guests' vifs"),
                new Case(List.of("create-vnic", "-l", "stub0", "webserver00000000"), "VNIC name 'webserver00000000' "
                        + "is 17 characters long; allowed: a letter first"),
                new Case(List.of("create-vnic", "web0"), "Missing required option: '--link=LINK'"),
                new Case(List.of("create-vnic", "-l", "stub0", "-m", "00:16:3e:00:00", "web0"),
                        "MAC address '00:16:3e:00:00': want six hex octets"),
                new Case(List.of("create-vnic", "-l", "stub0", "-v", "4095", "web0"), "-v 4095: a VLAN id is 1-4094"),
                new Case(List.of("create-vnic", "-l", "stub0", "-p", "maxbw=1X", "web0"), "maxbw"),
                new Case(List.of("create-etherstub", "-t", "-P", "stub0"), "-t and -P exclude each other"),
                new Case(List.of("show-etherstub", "-p"), "-p needs -o FIELD[,FIELD...]; fields: LINK,VNICS"),
                new Case(List.of("show-etherstub", "-o", "LINK,SPEED"), "unknown field 'SPEED'"))) {
            Run r = admin(c.argv().get(0), c.argv().subList(1, c.argv().size()).toArray(String[]::new));
            assertEquals(2, r.exit(), c.argv() + ": " + r.err());
            assertTrue(r.err().contains(c.message()), c.argv() + ": " + r.err());
        }
        assertTrue(live.stubs.isEmpty() && live.vnics.isEmpty(), "nothing reached the daemon");
        ok("create-etherstub", "stub0");
        for (Case c : List.of(
                new Case(List.of("create-etherstub", "stub0"), "xnb create-etherstub: link 'stub0' already exists in the "
                        + "configuration file"),
                new Case(List.of("create-vnic", "-l", "nostub0", "web0"), "no link 'nostub0' to create the VNIC over"),
                new Case(List.of("delete-vnic", "web9"), "no VNIC 'web9'"),
                new Case(List.of("delete-etherstub", "stub9"), "no etherstub 'stub9'"),
                new Case(List.of("show-etherstub", "stub9"), "no etherstub 'stub9'; the etherstubs are: stub0"))) {
            Run r = admin(c.argv().get(0), c.argv().subList(1, c.argv().size()).toArray(String[]::new));
            assertEquals(1, r.exit(), c.argv() + ": " + r.err());
            assertTrue(r.err().contains(c.message()), c.argv() + ": " + r.err());
        }
    }

    @Test
    void flowsAreKeptInTheFileAndAddedAgainWhenTheirVifConnects() throws Exception {
        Path conf = dir.resolve("xnb.conf");
        start(conf);
        ok("add-flow", "-l", "vif1.0", "-a", "transport=tcp,local_port=80", "-p", "maxbw=50M", "http");
        ok("set-flowprop", "-p", "priority=high", "http");
        assertEquals("xnb-config 1\nflow http link=vif1.0 spec=transport=tcp,local_port=80 maxbw=50000K priority=high\n"
                + "end\n", body(conf));
        server.close();

        start(conf); // a new daemon: the flow comes back when vif1.0 connects
        assertTrue(live.flows.isEmpty());
        configured.restoreFlows("vif1.0");
        assertEquals("http", live.flows.get("http").name());
        assertEquals("high", live.flows.get("http").properties().priority().token());
        ok("reset-flowprop", "-p", "maxbw", "http");
        assertTrue(body(conf).contains("flow http link=vif1.0 spec=transport=tcp,local_port=80 priority=high\n"),
                body(conf));
        live.flows.clear(); // the vif disconnected: its flows went with it
        live.vifConnected = false;
        ok("remove-flow", "http"); // still in the file: removed from it
        assertEquals("xnb-config 1\nend\n", body(conf));
        Run r = admin("remove-flow", "http");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no flow 'http'"), r.err());
    }

    @Test
    void flowadmsTemporaryChangesReachTheDaemonButNotTheFile() throws Exception {
        Path conf = dir.resolve("xnb.conf");
        start(conf);
        ok("add-flow", "-t", "-l", "vif1.0", "-a", "transport=tcp,local_port=80", "-p", "maxbw=50M", "http");
        assertEquals("http", live.flows.get("http").name(), "applied");
        assertFalse(java.nio.file.Files.exists(conf), "nothing written yet");
        ok("add-flow", "-l", "vif1.0", "-a", "transport=udp,local_port=53", "dns");
        assertEquals("xnb-config 1\nflow dns link=vif1.0 spec=transport=udp,local_port=53 priority=medium\nend\n", body(conf),
                "only the persistent flow");
        ok("set-flowprop", "-t", "-p", "priority=high", "dns");
        assertEquals("high", live.flows.get("dns").properties().priority().token());
        assertFalse(body(conf).contains("priority=high"), "a temporary property is not written: " + body(conf));
        ok("remove-flow", "-t", "dns");
        assertFalse(live.flows.containsKey("dns"), "removed from the daemon");
        assertTrue(body(conf).contains("flow dns link=vif1.0"), "still in the file, back at the next start: " + body(conf));
    }

    @Test
    void aFailedSaveUndoesACreateAndSaysWhy() throws Exception {
        Path notADir = dir.resolve("plain");
        Files.writeString(notADir, "x");
        Path conf = notADir.resolve("xnb.conf"); // its directory is a file: every save fails
        start(conf);
        Run r = admin("create-etherstub", "stub0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("create-etherstub stub0 not done: the configuration could not be saved: " + conf),
                r.err());
        assertTrue(live.stubs.isEmpty(), "undone");
        ok("create-etherstub", "-t", "stub0"); // -t needs no file
        r = admin("create-vnic", "-l", "stub0", "web0");
        assertEquals(1, r.exit());
        assertTrue(live.vnics.isEmpty(), "undone");
        r = admin("set-linkprop", "-p", "maxbw=10M", "vif1.0");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("set-linkprop vif1.0 applied to the running daemon but not saved: " + conf), r.err());
        r = admin("add-flow", "-l", "vif1.0", "-a", "transport=udp", "udp1");
        assertEquals(1, r.exit());
        assertTrue(live.flows.isEmpty(), "a flow that cannot be saved is removed again");
        assertEquals(Configuration.EMPTY, configured.configuration());
    }
}
