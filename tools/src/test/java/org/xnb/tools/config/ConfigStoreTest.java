package org.xnb.tools.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.vnic.prop.LinkProperties;

class ConfigStoreTest {
    @TempDir
    Path dir;

    private ConfigStore store() {
        return new ConfigStore(dir.resolve("xnb.conf"), 4);
    }

    private static Configuration one(String vnic) {
        return Configuration.EMPTY.withEtherstub(new EtherstubConfig("stub0"))
                .withVnic(new VnicConfig(vnic, "stub0", "02:00:00:00:00:01", 0, LinkProperties.defaults(4).set("maxbw", "100M")));
    }

    @Test
    void freshStartIsEmpty() {
        LoadedConfiguration l = store().load();
        assertEquals(Configuration.EMPTY, l.configuration());
        assertEquals(LoadedConfiguration.Source.NONE, l.source());
        assertEquals(List.of(), l.problems());
    }

    @Test
    void saveThenLoadAndPreviousCopyKept() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        assertFalse(Files.exists(s.backup()), "nothing to back up on the first save");
        s.save(one("web1"));
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.PRIMARY, l.source());
        assertEquals(one("web1"), l.configuration());
        assertEquals(one("web0"), s.read(s.backup()));
        assertFalse(Files.exists(DurableFiles.temporaryFor(s.file())), "the temporary file is renamed away");
        assertEquals(List.of(), l.problems());
    }

    @Test
    void leftoverTemporaryFileFromACrashIsIgnoredAndOverwritten() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        // crash while writing the next version: a half-written temporary file remains
        Files.writeString(DurableFiles.temporaryFor(s.file()), "xnb-config 1\nvnic web1 over=st");
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.PRIMARY, l.source());
        assertEquals(one("web0"), l.configuration());
        assertEquals(List.of(), l.problems());
        s.save(one("web2"));
        assertEquals(one("web2"), s.load().configuration());
    }

    @Test
    void crashAfterBackupBeforeRenameKeepsTheOldFile() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        // the steps of save() up to the crash: backup written, temporary written, no rename
        DurableFiles.replace(s.backup(), Files.readAllBytes(s.file()));
        Files.writeString(DurableFiles.temporaryFor(s.file()), ConfigFormat.write(one("web1")));
        assertEquals(one("web0"), s.load().configuration());
        assertEquals(one("web0"), s.read(s.backup()));
    }

    @Test
    void crashWithThePrimaryMovedAsideUsesTheBackup() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        s.save(one("web1"));
        Files.move(s.file(), s.rejected());
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.BACKUP, l.source());
        assertEquals(one("web0"), l.configuration());
        assertEquals(List.of(s.file() + " is missing; using the last good copy " + s.backup()), l.problems());
    }

    @Test
    void corruptFileIsReportedAndTheLastGoodCopyUsedThenSetAside() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        s.save(one("web1"));
        String text = Files.readString(s.file()).replace("maxbw=100000K", "maxbw=100000Q");
        Files.writeString(s.file(), text);
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.BACKUP, l.source());
        assertEquals(one("web0"), l.configuration());
        assertEquals(2, l.problems().size(), l.problems().toString());
        assertTrue(l.problems().get(0).startsWith(s.file() + ":4: maxbw: unknown unit 'Q'"), l.problems().get(0));
        assertEquals("using the last good copy " + s.backup(), l.problems().get(1));

        // the next save keeps the good .bak and sets the corrupt file aside, not into .bak
        s.save(one("web2"));
        assertEquals(one("web2"), s.load().configuration());
        assertEquals(one("web0"), s.read(s.backup()));
        assertEquals(text, Files.readString(s.rejected()));
    }

    @Test
    void binaryGarbageIsReported() throws Exception {
        ConfigStore s = store();
        Files.write(s.file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.NONE_USABLE, l.source());
        assertEquals(Configuration.EMPTY, l.configuration());
        assertEquals(s.file() + ": not UTF-8 text (binary garbage?)", l.problems().get(0));
        assertTrue(Files.exists(s.file()), "left for the operator");
    }

    @Test
    void newerVersionIsReportedKeptAndNeverOverwritten() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        String newer = "xnb-config 7\nsomething new\nend\n";
        DurableFiles.replace(s.file(), newer.getBytes(StandardCharsets.UTF_8));
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.NONE_USABLE, l.source());
        assertEquals(s.file() + ":1: format version 7 was written by a newer xnb; this one reads versions up to 1",
                l.problems().get(0));
        s.save(one("web1"));
        assertEquals(newer, Files.readString(s.rejected()));
        assertEquals(one("web1"), s.load().configuration());
        assertFalse(Files.exists(s.backup()), "a file this xnb cannot read is never called the last good copy");
    }

    @Test
    void unwritableDirectoryFailsWithPathAndReasonAndChangesNothing() throws Exception {
        ConfigStore s = store();
        s.save(one("web0"));
        String before = Files.readString(s.file());
        try (ReadOnlyDirectory ro = ReadOnlyDirectory.of(dir)) {
            ConfigSaveException e = assertThrows(ConfigSaveException.class, () -> s.save(one("web1")));
            assertTrue(e.getMessage().startsWith(s.backup() + ": cannot write: "), e.getMessage());
            assertTrue(e.getMessage().contains("ermission denied") || e.getMessage().contains("Operation not permitted"),
                    e.getMessage());
        }
        assertEquals(before, Files.readString(s.file()));
        assertEquals(one("web0"), s.load().configuration());
        assertFalse(Files.exists(DurableFiles.temporaryFor(s.backup())));
    }

    @Test
    void unreadableFileIsReportedWithThePath() throws Exception {
        ConfigStore s = store();
        Files.createDirectory(s.file()); // a directory where the file should be: read fails with EISDIR
        LoadedConfiguration l = s.load();
        assertEquals(LoadedConfiguration.Source.NONE_USABLE, l.source());
        assertTrue(l.problems().get(0).startsWith(s.file() + ": cannot read: "), l.problems().get(0));
    }
}
