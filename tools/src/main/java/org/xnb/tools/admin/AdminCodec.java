package org.xnb.tools.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text of requests and responses: one object, no newline inside (the framing is the line). */
public final class AdminCodec {
    /** Longest line either side reads; a longer one is refused. */
    public static final int MAX_LINE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private AdminCodec() {
    }

    public static String encode(Object message) {
        try {
            return JSON.writeValueAsString(message); // escapes control characters: no raw newline
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static AdminRequest request(String line) {
        return decode(line, AdminRequest.class);
    }

    public static AdminResponse response(String line) {
        return decode(line, AdminResponse.class);
    }

    private static <T> T decode(String line, Class<T> type) {
        try {
            T t = JSON.readValue(line, type);
            if (t == null) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(line));
            }
            return t;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " in " + abbreviate(line));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
