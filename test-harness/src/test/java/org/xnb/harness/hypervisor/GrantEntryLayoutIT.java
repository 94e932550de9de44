package org.xnb.harness.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantStatus;

/** Proves the harness's grant_entry_v1 layout, GTF_* bits and GNTST_* codes against xen/grant_table.h. */
class GrantEntryLayoutIT {
    private static final String PROBE = """
            #include <stdio.h>
            #include <stddef.h>
            #include <stdint.h>
            #include <xen/xen.h>
            #include <xen/grant_table.h>
            int main(void) {
                printf("%zu %zu %zu %zu %u %u %u %u %u %u %u %d %d %d %d %d %d\\n", sizeof(grant_entry_v1_t),
                    offsetof(grant_entry_v1_t, flags), offsetof(grant_entry_v1_t, domid), offsetof(grant_entry_v1_t, frame),
                    GTF_permit_access, GTF_accept_transfer, GTF_transitive, GTF_type_mask, GTF_readonly, GTF_reading,
                    GTF_writing, GNTST_general_error, GNTST_bad_domain, GNTST_bad_gntref, GNTST_permission_denied,
                    GNTST_bad_page, GNTST_bad_copy_arg);
                return 0;
            }
            """;

    @Test
    void grantEntryV1MatchesTheHeader(@TempDir Path dir) throws Exception {
        // missing tools fail the proof (bin/test installs them as root); a skip would hide it
        assertTrue(Files.exists(Path.of("/usr/include/xen/grant_table.h")),
                "/usr/include/xen/grant_table.h is missing: apt-get install libxen-dev (bin/test does it as root)");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/gcc")),
                "/usr/bin/gcc is missing: apt-get install gcc (bin/test does it as root)");
        Files.writeString(dir.resolve("probe.c"), PROBE);
        run(dir, "gcc", "-o", "probe", "probe.c");
        String[] v = run(dir, "./probe").trim().split(" ");
        int[] expected = {GrantEntryV1.SIZE, GrantEntryV1.FLAGS_OFFSET, GrantEntryV1.DOMID_OFFSET,
            GrantEntryV1.FRAME_OFFSET, GrantEntryV1.GTF_PERMIT_ACCESS, GrantEntryV1.GTF_ACCEPT_TRANSFER,
            GrantEntryV1.GTF_TRANSITIVE, GrantEntryV1.GTF_TYPE_MASK, GrantEntryV1.GTF_READONLY,
            GrantEntryV1.GTF_READING, GrantEntryV1.GTF_WRITING, GrantStatus.GENERAL_ERROR, GrantStatus.BAD_DOMAIN,
            GrantStatus.BAD_GNTREF, GrantStatus.PERMISSION_DENIED, GrantStatus.BAD_PAGE, GrantStatus.BAD_COPY_ARG};
        assertEquals(expected.length, v.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Integer.parseInt(v[i]), "value " + i);
        }
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
