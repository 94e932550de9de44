package org.xnb.vnic.stat;

import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of the counters file, in the style of Aeron's CnC file: a header, then Agrona's counters
 * metadata and values buffers. The writer (the backend) maps it read-write; tools (dlstat) map it
 * read-only and read values without asking the data path. Little-endian (native on x86_64 and
 * aarch64, and what Agrona's buffers use).
 *
 * <pre>
 *  0        8        12       16       20       24                32         128
 *  +--------+--------+--------+--------+--------+-----------------+----------+
 *  | magic  |version | meta   | values | pid    | start time (ms) | reserved |
 *  | i64    | i32    | len i32| len i32| i32    | i64             |          |
 *  +--------+--------+--------+--------+--------+-----------------+----------+
 *  128                            128 + metaLen                  128 + metaLen + valuesLen
 *  +------------------------------+--------------------------------+
 *  | metadata: 512 B per counter  | values: 128 B per counter      |
 *  | (state, type id, key, label) | (a long, padded: no false      |
 *  |                              |  sharing between lanes)        |
 *  +------------------------------+--------------------------------+
 * </pre>
 *
 * <p>The version is written last (ordered) once the header is complete: a reader that sees the
 * right version sees a complete header.
 */
public final class CountersFileDescriptor {
    /** "XNBCNTRS" in ASCII, little-endian. */
    public static final long MAGIC = 0x5352544e43424e58L;
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int METADATA_LENGTH_OFFSET = 12;
    public static final int VALUES_LENGTH_OFFSET = 16;
    public static final int PID_OFFSET = 20;
    public static final int START_TIME_OFFSET = 24;
    public static final int HEADER_LENGTH = 128;
    /** Bounds the file: 65536 counters = 40 MiB. */
    public static final int MAX_COUNTERS = 65_536;

    private CountersFileDescriptor() {
    }

    public static int metadataLength(int counters) {
        return counters * CountersReader.METADATA_LENGTH;
    }

    public static int valuesLength(int counters) {
        return counters * CountersReader.COUNTER_LENGTH;
    }

    public static long fileLength(int counters) {
        return (long) HEADER_LENGTH + metadataLength(counters) + valuesLength(counters);
    }
}
