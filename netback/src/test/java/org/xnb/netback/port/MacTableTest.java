package org.xnb.netback.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The copy-on-write MAC table against a HashMap, on random operation sequences. */
class MacTableTest {

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemovals() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Map<Long, Integer> model = new HashMap<>();
            MacTable<Integer> table = MacTable.empty();
            int ops = 1 + r.nextInt(300);
            for (int i = 0; i < ops; i++) {
                // few distinct keys so that replacements and collisions happen; 0 is a valid MAC
                long mac = r.nextInt(4) == 0 ? 0L : (r.nextLong() & 0xffff_ffff_ffffL) % (1 + r.nextInt(64));
                if (r.nextInt(5) == 0) {
                    int value = r.nextInt(4);
                    table = table.without(v -> v == value);
                    model.values().removeIf(v -> v == value);
                } else {
                    int value = r.nextInt(4);
                    table = table.with(mac, value);
                    model.put(mac, value);
                }
                assertEquals(model.size(), table.size(), "size after op " + i);
            }
            for (Map.Entry<Long, Integer> e : model.entrySet()) {
                assertEquals(e.getValue(), table.get(e.getKey()), "mac " + e.getKey());
            }
            assertNull(table.get(0xffff_ffff_fffeL));
        });
    }

    @Test
    void anOldSnapshotIsNotChangedByLaterWrites() {
        MacTable<String> a = MacTable.<String>empty().with(1, "a");
        MacTable<String> b = a.with(1, "b").with(2, "c");
        assertEquals("a", a.get(1));
        assertNull(a.get(2));
        assertEquals("b", b.get(1));
        assertEquals(2, b.size());
    }

    @Test
    void growsPastItsFirstCapacity() {
        MacTable<Integer> t = MacTable.empty();
        for (int i = 0; i < 5000; i++) {
            t = t.with(0x0200_0000_0000L + i, i);
        }
        assertEquals(5000, t.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, t.get(0x0200_0000_0000L + i));
        }
    }
}
