package org.xnb.netback.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** dladm-style datalink names for create-etherstub and create-vnic. */
class DatalinkNamesTest {
    private static String error(String name, int max) {
        return assertThrows(IllegalArgumentException.class, () -> DatalinkNames.check(name, "VNIC", max)).getMessage();
    }

    @Test
    void goodNamesPassBadOnesSayWhatIsAllowed() {
        for (String ok : new String[] {"web0", "stub0", "a1", "net_1.2", "abcdefghijklm15"}) {
            assertEquals(ok, DatalinkNames.check(ok, "VNIC", DatalinkNames.VNIC_MAX));
        }
        String rule = "allowed: a letter first, then letters, digits, '_' or '.', ending in a digit, at most 15 "
                + "characters (like web0)";
        assertEquals("invalid VNIC name 'web'; " + rule, error("web", 15));
        assertEquals("invalid VNIC name '0web0'; " + rule, error("0web0", 15));
        assertEquals("invalid VNIC name 'we-b0'; " + rule, error("we-b0", 15));
        assertEquals("invalid VNIC name 'we b0'; " + rule, error("we b0", 15));
        assertEquals("VNIC name 'abcdefghijklmn16' is 16 characters long; " + rule, error("abcdefghijklmn16", 15));
        assertEquals("VNIC name missing; " + rule, error("", 15));
        assertEquals("invalid VNIC name 'vif5.0': vif<domid>.<devid> names are the guests' vifs", error("vif5.0", 15));
        assertEquals("stubxxxxxxxxxxxxxxxxxxxxxxxxxx1", DatalinkNames.check("stubxxxxxxxxxxxxxxxxxxxxxxxxxx1", "etherstub", DatalinkNames.ETHERSTUB_MAX));
        assertThrows(IllegalArgumentException.class,
                () -> DatalinkNames.check("sstubxxxxxxxxxxxxxxxxxxxxxxxxxx1", "etherstub", DatalinkNames.ETHERSTUB_MAX), "32 characters");
    }
}
