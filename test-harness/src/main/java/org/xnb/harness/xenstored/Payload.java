package org.xnb.harness.xenstored;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xnb.xenstore.XsError;

/**
 * Request payload parsing with C's rules ({@code onearg}, {@code get_strings},
 * {@code xs_count_strings}). Strings are decoded as ISO-8859-1 so every byte maps to one char
 * and back: path validation then sees the raw bytes, and tokens round-trip unchanged.
 */
final class Payload {
    private Payload() {
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code onearg}: exactly one NUL, at the end; otherwise EINVAL. */
    static String oneArg(byte[] p) throws XsFailure {
        if (p.length == 0 || indexOfNul(p, 0) != p.length - 1) {
            throw new XsFailure(XsError.EINVAL);
        }
        return latin1(p, 0, p.length - 1);
    }

    /** {@code xs_count_strings}: the number of NULs. */
    static int countNuls(byte[] p) {
        int n = 0;
        for (byte b : p) {
            if (b == 0) {
                n++;
            }
        }
        return n;
    }

    /** {@code get_strings}: every NUL-terminated string; bytes after the last NUL are ignored. */
    static List<String> strings(byte[] p) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                out.add(latin1(p, start, i - start));
                start = i + 1;
            }
        }
        return out;
    }

    static int indexOfNul(byte[] p, int from) {
        for (int i = from; i < p.length; i++) {
            if (p[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The payload of a reply made of strings, each followed by a NUL. */
    static byte[] nulJoined(List<String> parts) {
        int len = 0;
        for (String s : parts) {
            len += s.length() + 1;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (String s : parts) {
            byte[] b = bytes(s);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length + 1;
        }
        return out;
    }

    /** A string reply: the text and its NUL. */
    static byte[] cString(String s) {
        byte[] b = bytes(s);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
