package org.xnb.tools.xenstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How Xen's xenstore tools show and accept binary values ({@code sanitise_value} and
 * {@code unsanitise_value} in tools/xs-clients/xenstore_client.c): printable ASCII stays,
 * except backslash; {@code \t \n \r \\} get letters; bytes below 010 become three octal
 * digits ({@code \001}); every other byte becomes {@code \xNN}.
 */
public final class ValueEscaping {
    private ValueEscaping() {
    }

    /** The printable form of a value (pure ASCII). */
    public static String sanitise(byte[] value) {
        StringBuilder sb = new StringBuilder(value.length + 8);
        for (byte b : value) {
            int c = b & 0xff;
            if (c >= ' ' && c <= '~' && c != '\\') {
                sb.append((char) c);
                continue;
            }
            sb.append('\\');
            switch (c) {
                case '\t' -> sb.append('t');
                case '\n' -> sb.append('n');
                case '\r' -> sb.append('r');
                case '\\' -> sb.append('\\');
                default -> {
                    if (c < 010) {
                        sb.append(String.format("%03o", c));
                    } else {
                        sb.append(String.format("x%02x", c));
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * The bytes an escaped argument stands for. Like the C version: an unknown escape keeps
     * the character ({@code \q} is {@code q}), {@code \x} takes up to two hex digits and an
     * octal escape up to three digits, and a trailing backslash yields a NUL byte.
     */
    public static byte[] unsanitise(String spec) {
        byte[] in = spec.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            int c = in[i++] & 0xff;
            if (c == '\\') {
                c = i < in.length ? in[i++] & 0xff : 0;
                switch (c) {
                    case 't' -> c = '\t';
                    case 'n' -> c = '\n';
                    case 'r' -> c = '\r';
                    case 'x' -> {
                        int v = 0;
                        int n = 0;
                        while (n < 2 && i < in.length && Character.digit(in[i], 16) >= 0) {
                            v = v * 16 + Character.digit(in[i++], 16);
                            n++;
                        }
                        if (n > 0) {
                            c = v;
                        }
                    }
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        i--;
                        int v = 0;
                        int n = 0;
                        while (n < 3 && i < in.length && in[i] >= '0' && in[i] <= '7') {
                            v = v * 8 + (in[i++] - '0');
                            n++;
                        }
                        c = v & 0xff;
                    }
                    default -> {
                        // '\\' and any other character stand for themselves; end of string is NUL
                    }
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }
}
