package org.xnb.vnic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequireRootTest {
    @Test
    void nonRootFailsWithOneClearLine() {
        AssertionError e = assertThrows(AssertionError.class, () -> RequireRoot.checkUid("1000"));
        assertEquals("these integration tests need root (uid 0) for network namespaces and TAP devices; running as"
                + " uid 1000. Run them as root, e.g. sudo bin/test, or only the unit tests: mvn test", e.getMessage());
        RequireRoot.checkUid("0");
    }

    @Test
    void missingToolNamesItsPackage() {
        AssertionError e = assertThrows(AssertionError.class, () -> RequireRoot.requireTool("no-such-tool-xnb", "xnb-pkg"));
        assertEquals("no-such-tool-xnb is not installed: apt-get install xnb-pkg (bin/test installs it)", e.getMessage());
    }
}
