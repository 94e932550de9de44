package org.xnb.tools.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background JVM started with {@code -cp xnb.jar} gets the jar manifest's module flags on its
 * command line (the usage journal's Chronicle needs them; {@code -cp} ignores the manifest).
 */
class DetachedProcessTest {
    @TempDir
    Path dir;

    @Test
    void theJarsAddOpensAndAddExportsBecomeFlags() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Add-Opens", "java.base/sun.nio.ch java.base/java.nio");
        m.getMainAttributes().putValue("Add-Exports", "jdk.unsupported/sun.misc");
        Path jar = dir.resolve("xnb.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        assertEquals(List.of("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"), DetachedProcess.manifestModuleFlags(jar.toString()));
        assertEquals(List.of(), DetachedProcess.manifestModuleFlags(dir + "/classes:" + jar), "a class path: none");
        assertEquals(List.of(), DetachedProcess.manifestModuleFlags(dir.resolve("missing.jar").toString()));
    }
}
