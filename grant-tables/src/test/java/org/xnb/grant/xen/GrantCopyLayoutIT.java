package org.xnb.grant.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantCopyBatch;

/** Proves GrantCopyBatch's layout against the real header: a C probe compiled against xengnttab.h. */
class GrantCopyLayoutIT {
    private static final String PROBE = """
            #include <stdio.h>
            #include <stddef.h>
            #include <xengnttab.h>
            typedef xengnttab_grant_copy_segment_t seg;
            int main(void) {
                printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %d %d\\n", sizeof(seg),
                    offsetof(seg, source), offsetof(seg, dest), offsetof(seg, len), offsetof(seg, flags),
                    offsetof(seg, status), offsetof(union xengnttab_copy_ptr, foreign.ref),
                    offsetof(union xengnttab_copy_ptr, foreign.offset), offsetof(union xengnttab_copy_ptr, foreign.domid),
                    GNTCOPY_source_gref, GNTCOPY_dest_gref);
                return 0;
            }
            """;

    @Test
    void segmentLayoutMatchesXengnttabH(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/xengnttab.h")), "libxen-dev installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc installed");
        Files.writeString(dir.resolve("probe.c"), PROBE);
        run(dir, "gcc", "-o", "probe", "probe.c");
        String[] v = run(dir, "./probe").trim().split(" ");

        assertEquals(GrantCopyBatch.SEGMENT_SIZE, Integer.parseInt(v[0]));
        assertEquals(GrantCopyBatch.SOURCE_OFFSET, Integer.parseInt(v[1]));
        assertEquals(GrantCopyBatch.DEST_OFFSET, Integer.parseInt(v[2]));
        assertEquals(GrantCopyBatch.LEN_OFFSET, Integer.parseInt(v[3]));
        assertEquals(GrantCopyBatch.FLAGS_OFFSET, Integer.parseInt(v[4]));
        assertEquals(GrantCopyBatch.STATUS_OFFSET, Integer.parseInt(v[5]));
        assertEquals(GrantCopyBatch.FOREIGN_REF, Integer.parseInt(v[6]));
        assertEquals(GrantCopyBatch.FOREIGN_OFFSET, Integer.parseInt(v[7]));
        assertEquals(GrantCopyBatch.FOREIGN_DOMID, Integer.parseInt(v[8]));
        assertEquals(GrantCopyBatch.FLAG_SOURCE_GREF, Integer.parseInt(v[9]));
        assertEquals(GrantCopyBatch.FLAG_DEST_GREF, Integer.parseInt(v[10]));
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
