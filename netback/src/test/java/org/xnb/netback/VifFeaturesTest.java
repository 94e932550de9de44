package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VifFeaturesTest {
    @Test
    void vifFeaturesAcceptOnlyAnnouncedGsoTypes() {
        VifFeatures v4only = VifFeatures.LINUX_DEFAULT.withGso(true, false);
        assertTrue(v4only.acceptsGso(1));
        assertFalse(v4only.acceptsGso(2));
        assertFalse(v4only.acceptsGso(0));
        assertFalse(VifFeatures.MINIMAL.acceptsGso(1));
        assertFalse(VifFeatures.MINIMAL.sg());
    }
}
