package org.xnb.netback.port.tap;

/**
 * Counters of one direction of a TAP port. Plain long fields written by the port's one thread;
 * another thread reading them sees a recent value (good enough for statistics).
 */
public final class TapPortCounters {
    /** Frames handed on (to the TAP fd, or to the sink). */
    public long frames;
    /** Ethernet bytes of those frames (virtio-net headers not counted). */
    public long bytes;
    /** Frames handed on as GSO (TCPv4/TCPv6). */
    public long gsoFrames;
    /** Frames handed on with a partial checksum (NEEDS_CSUM / CSUM_BLANK). */
    public long partialChecksumFrames;

    /** Guest -> TAP: a CSUM_BLANK or GSO frame whose headers do not parse (see ChecksumSetup.Failure). */
    public long dropsChecksumSetup;
    /** Guest -> TAP: a GSO frame whose type, size or headers disagree (not TCP, wrong IP version, size 0). */
    public long dropsBadGso;
    /** Shorter than an Ethernet header. */
    public long dropsRunt;
    /** Guest -> TAP: the kernel said EAGAIN (queue full) or refused the frame (EINVAL, EIO while down). */
    public long dropsTapWrite;
    /** TAP -> guest: a GSO type the netif protocol cannot carry (UDP GSO, unknown). */
    public long dropsUnsupportedGso;
    /** TAP -> guest: a read that filled the whole buffer (the kernel truncated the frame). */
    public long dropsTruncated;

    public long drops() {
        return dropsChecksumSetup + dropsBadGso + dropsRunt + dropsTapWrite + dropsUnsupportedGso + dropsTruncated;
    }

    @Override
    public String toString() {
        return "frames=" + frames + " bytes=" + bytes + " gso=" + gsoFrames + " partialCsum=" + partialChecksumFrames
                + " drops{checksumSetup=" + dropsChecksumSetup + " badGso=" + dropsBadGso + " runt=" + dropsRunt
                + " tapWrite=" + dropsTapWrite + " unsupportedGso=" + dropsUnsupportedGso + " truncated="
                + dropsTruncated + "}";
    }
}
