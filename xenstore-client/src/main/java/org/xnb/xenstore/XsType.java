package org.xnb.xenstore;

/**
 * Message types of {@code enum xsd_sockmsg_type} in {@code xen/io/xs_wire.h}. The numeric
 * codes are the wire values; the gap at 20 is the removed {@code XS_RESTRICT}.
 */
public enum XsType {
    CONTROL(0),
    DIRECTORY(1),
    READ(2),
    GET_PERMS(3),
    WATCH(4),
    UNWATCH(5),
    TRANSACTION_START(6),
    TRANSACTION_END(7),
    INTRODUCE(8),
    RELEASE(9),
    GET_DOMAIN_PATH(10),
    WRITE(11),
    MKDIR(12),
    RM(13),
    SET_PERMS(14),
    WATCH_EVENT(15),
    ERROR(16),
    IS_DOMAIN_INTRODUCED(17),
    RESUME(18),
    SET_TARGET(19),
    RESET_WATCHES(21),
    DIRECTORY_PART(22);

    /** {@code XS_INVALID}: guaranteed never to be a valid type. */
    public static final int INVALID_CODE = 0xffff;

    private static final XsType[] BY_CODE = new XsType[DIRECTORY_PART.code + 1];

    static {
        for (XsType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    XsType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The type for a wire value, or {@code null} when the value names no known type. */
    public static XsType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
