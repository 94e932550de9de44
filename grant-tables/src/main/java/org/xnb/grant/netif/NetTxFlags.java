package org.xnb.grant.netif;

/** {@code NETTXF_*}: flags of a {@link TxRequest}. Bit numbers are the {@code _NETTXF_*} names. */
public final class NetTxFlags {
    public static final int CSUM_BLANK_BIT = 0;
    public static final int DATA_VALIDATED_BIT = 1;
    public static final int MORE_DATA_BIT = 2;
    public static final int EXTRA_INFO_BIT = 3;

    /** Protocol checksum field is blank (the backend or the NIC must fill it). */
    public static final int CSUM_BLANK = 1 << CSUM_BLANK_BIT;
    /** Packet data has been validated against the protocol checksum. */
    public static final int DATA_VALIDATED = 1 << DATA_VALIDATED_BIT;
    /** The packet continues in the next request. */
    public static final int MORE_DATA = 1 << MORE_DATA_BIT;
    /** Extra-info slots follow this request. */
    public static final int EXTRA_INFO = 1 << EXTRA_INFO_BIT;

    private NetTxFlags() {
    }
}
