package org.xnb.grant.netif;

/** {@code NETRXF_*}: flags of an {@link RxResponse}. Bit numbers are the {@code _NETRXF_*} names. */
public final class NetRxFlags {
    public static final int DATA_VALIDATED_BIT = 0;
    public static final int CSUM_BLANK_BIT = 1;
    public static final int MORE_DATA_BIT = 2;
    public static final int EXTRA_INFO_BIT = 3;
    public static final int GSO_PREFIX_BIT = 4;

    public static final int DATA_VALIDATED = 1 << DATA_VALIDATED_BIT;
    public static final int CSUM_BLANK = 1 << CSUM_BLANK_BIT;
    public static final int MORE_DATA = 1 << MORE_DATA_BIT;
    public static final int EXTRA_INFO = 1 << EXTRA_INFO_BIT;
    /** Deprecated in the header; kept so that we can recognise (and never send) it. */
    public static final int GSO_PREFIX = 1 << GSO_PREFIX_BIT;

    private NetRxFlags() {
    }
}
