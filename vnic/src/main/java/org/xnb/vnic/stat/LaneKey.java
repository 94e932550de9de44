package org.xnb.vnic.stat;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The key of every lane counter: which lane it belongs to.
 *
 * <pre>
 *  0        4          8          12           16
 *  +--------+----------+----------+------------+------------------------+
 *  | lane id| index    | type     | name length| link name, US-ASCII    |
 *  | i32    | i32      | i32      | i32        | (<= 64 bytes)          |
 *  +--------+----------+----------+------------+------------------------+
 *  lane id: unique in the file while the lane lives; index: the lane's number within its link
 *  (a netfront queue number); type: 0 = RX/TX lane of a VNIC, free for later kinds.
 * </pre>
 */
public final class LaneKey {
    public static final int LANE_ID_OFFSET = 0;
    public static final int INDEX_OFFSET = 4;
    public static final int TYPE_OFFSET = 8;
    public static final int NAME_LENGTH_OFFSET = 12;
    public static final int NAME_OFFSET = 16;
    public static final int MAX_NAME = 64;
    public static final int MAX_LENGTH = NAME_OFFSET + MAX_NAME;

    private LaneKey() {
    }

    /** Writes the key; returns its length. */
    public static int write(MutableDirectBuffer key, int laneId, int index, int type, String link) {
        byte[] name = link.getBytes(StandardCharsets.US_ASCII);
        if (name.length > MAX_NAME) {
            throw new IllegalArgumentException("link name '" + link + "' is longer than " + MAX_NAME);
        }
        key.putInt(LANE_ID_OFFSET, laneId);
        key.putInt(INDEX_OFFSET, index);
        key.putInt(TYPE_OFFSET, type);
        key.putInt(NAME_LENGTH_OFFSET, name.length);
        key.putBytes(NAME_OFFSET, name);
        return NAME_OFFSET + name.length;
    }

    public static int laneId(DirectBuffer key) {
        return key.getInt(LANE_ID_OFFSET);
    }

    public static int index(DirectBuffer key) {
        return key.getInt(INDEX_OFFSET);
    }

    public static int type(DirectBuffer key) {
        return key.getInt(TYPE_OFFSET);
    }

    /** The link name; a corrupt length is clamped (the file is read, not trusted). */
    public static String link(DirectBuffer key) {
        int n = Math.max(0, Math.min(MAX_NAME, key.getInt(NAME_LENGTH_OFFSET)));
        byte[] b = new byte[n];
        key.getBytes(NAME_OFFSET, b);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
