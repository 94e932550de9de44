package org.xnb.netback;

/**
 * What travels with a frame besides its bytes: GSO, checksum state and the guest's hash. One
 * mutable instance per engine, reset and refilled for every frame, so passing a frame allocates
 * nothing; a receiver must copy what it keeps before returning.
 *
 * <p>The checksum flags mean what the netif flags mean: {@link #CSUM_BLANK} (Linux
 * CHECKSUM_PARTIAL: the L4 checksum is still to be filled in) and {@link #DATA_VALIDATED} (Linux
 * CHECKSUM_UNNECESSARY: already verified).
 */
public final class FrameMetadata {
    public static final int CSUM_BLANK = 1;
    public static final int DATA_VALIDATED = 2;
    /** No hash extra came with the frame. */
    public static final int NO_HASH = -1;

    private int gsoType;
    private int gsoSize;
    private int checksum;
    private int hashType = NO_HASH;
    private int hashValue;

    /** No GSO, no checksum flags, no hash. */
    public FrameMetadata reset() {
        gsoType = 0;
        gsoSize = 0;
        checksum = 0;
        hashType = NO_HASH;
        hashValue = 0;
        return this;
    }

    /** {@code XEN_NETIF_GSO_TYPE_*} (0 = not GSO) and the segment size (MSS). */
    public FrameMetadata gso(int type, int size) {
        this.gsoType = type;
        this.gsoSize = size;
        return this;
    }

    /** {@link #CSUM_BLANK} and/or {@link #DATA_VALIDATED}. */
    public FrameMetadata checksum(int flags) {
        this.checksum = flags & (CSUM_BLANK | DATA_VALIDATED);
        return this;
    }

    /** The guest's hash ({@code _XEN_NETIF_CTRL_HASH_TYPE_*} bit number and value). */
    public FrameMetadata hash(int type, int value) {
        this.hashType = type;
        this.hashValue = value;
        return this;
    }

    public FrameMetadata copyFrom(FrameMetadata other) {
        gsoType = other.gsoType;
        gsoSize = other.gsoSize;
        checksum = other.checksum;
        hashType = other.hashType;
        hashValue = other.hashValue;
        return this;
    }

    public int gsoType() {
        return gsoType;
    }

    public int gsoSize() {
        return gsoSize;
    }

    public boolean isGso() {
        return gsoType != 0;
    }

    public int checksum() {
        return checksum;
    }

    public boolean csumBlank() {
        return (checksum & CSUM_BLANK) != 0;
    }

    public boolean dataValidated() {
        return (checksum & DATA_VALIDATED) != 0;
    }

    public int hashType() {
        return hashType;
    }

    public int hashValue() {
        return hashValue;
    }

    @Override
    public String toString() {
        return "FrameMetadata{gsoType=" + gsoType + ", gsoSize=" + gsoSize + ", checksum=" + checksum
                + ", hashType=" + hashType + ", hashValue=" + hashValue + '}';
    }
}
