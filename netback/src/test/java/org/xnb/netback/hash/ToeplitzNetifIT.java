package org.xnb.netback.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netif.h's own reference code, compiled: a C program defines {@code XEN_NETIF_DEFINE_TOEPLITZ},
 * includes the real {@code /usr/include/xen/io/netif.h} and hashes random keys (0..48 octets)
 * and inputs (0..36 octets); {@link ToeplitzReference} must give the same value for every case and
 * {@link ToeplitzTable} too wherever the key fits it (up to 40 octets). Needs gcc and libxen-dev
 * (bin/test installs them); without them it fails, it does not skip.
 */
class ToeplitzNetifIT {
    private static final Path NETIF_H = Path.of("/usr/include/xen/io/netif.h");
    private static final int CASES = 500;

    @Test
    void javaMatchesTheHeadersReferenceCode(@TempDir Path dir) throws Exception {
        if (!Files.isRegularFile(NETIF_H) || !onPath("gcc")) {
            fail("needs gcc and " + NETIF_H + ": install them with `apt-get install gcc libc6-dev libxen-dev`"
                    + " (bin/test does this as root)");
        }
        Random random = new Random(20161);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stdint.h>\n"
                + "#define XEN_NETIF_DEFINE_TOEPLITZ\n#include <xen/io/netif.h>\n\nint main(void)\n{\n");
        for (int i = 0; i < CASES; i++) {
            byte[] key = new byte[i == 0 ? 0 : random.nextInt(49)];
            byte[] data = new byte[random.nextInt(37)];
            random.nextBytes(key);
            random.nextBytes(data);
            keys.add(key);
            inputs.add(data);
            c.append("    { static const uint8_t k[] = {").append(octets(key)).append("};\n")
                    .append("      static const uint8_t d[] = {").append(octets(data)).append("};\n")
                    .append("      printf(\"%u\\n\", (unsigned) xen_netif_toeplitz_hash(k, ").append(key.length)
                    .append(", d, ").append(data.length).append(")); }\n");
        }
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("toeplitz.c");
        Path binary = dir.resolve("toeplitz");
        Files.writeString(source, c, StandardCharsets.UTF_8);
        run(dir, "gcc", "-std=gnu11", "-Wall", "-Werror", "-Wno-unused-function", "-o", binary.toString(),
                source.toString());
        String[] lines = run(dir, binary.toString()).trim().split("\n");
        assertEquals(CASES, lines.length);
        int tableCases = 0;
        for (int i = 0; i < CASES; i++) {
            int expected = (int) Long.parseLong(lines[i].trim());
            byte[] k = keys.get(i);
            byte[] d = inputs.get(i);
            assertEquals(expected, ToeplitzReference.hash(k, k.length, d, 0, d.length), "case " + i);
            if (k.length <= ToeplitzTable.MAX_KEY) {
                assertEquals(expected, new ToeplitzTable(k, k.length).hash(d, 0, d.length), "case " + i);
                tableCases++;
            }
        }
        assertEquals(true, tableCases > CASES / 2, "table compared in " + tableCases + " cases");
    }

    private static String octets(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x & 0xff).append(',');
        }
        return b.length == 0 ? "0" : s.toString();
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
