package org.xnb.tools.xenstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** sanitise_value / unsanitise_value of xenstore_client.c. */
class ValueEscapingTest {

    @Test
    void sanitiseEscapesLikeTheCTool() {
        assertEquals("plain text ~", ValueEscaping.sanitise("plain text ~".getBytes()));
        assertEquals("\\t\\n\\r\\\\", ValueEscaping.sanitise(new byte[] {'\t', '\n', '\r', '\\'}));
        assertEquals("\\000\\007\\x08\\x1f\\x7f\\xff", ValueEscaping.sanitise(new byte[] {0, 7, 8, 0x1f, 0x7f, (byte) 0xff}));
    }

    @Test
    void unsanitiseInvertsSanitiseForAllBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, ValueEscaping.unsanitise(ValueEscaping.sanitise(all)));
    }

    @Test
    void unsanitiseOddities() {
        assertArrayEquals(new byte[] {'q'}, ValueEscaping.unsanitise("\\q"));
        assertArrayEquals(new byte[] {'a', 0}, ValueEscaping.unsanitise("a\\"));
        assertArrayEquals(new byte[] {'x', 'z'}, ValueEscaping.unsanitise("\\xz"));
        assertArrayEquals(new byte[] {0x0a, '3'}, ValueEscaping.unsanitise("\\x0a3"));
        assertArrayEquals(new byte[] {012, '8'}, ValueEscaping.unsanitise("\\128"));
    }
}
