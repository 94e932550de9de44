package org.xnb.netback.admin;

import org.agrona.DirectBuffer;

/**
 * A snoop's tap on a VNIC's lane: every frame the guest sends (after the Tx filter and the flows let
 * it through) and every frame delivered to the guest, handed over on the lane's thread. It must not
 * block, allocate or keep {@code frame} after the call (a bounded ring that counts what it cannot
 * take, such as tools' CaptureRing).
 */
@FunctionalInterface
public interface FrameCapture {

    /** One frame of {@code length} bytes at {@code offset}; {@code inbound}: toward the guest. */
    void capture(DirectBuffer frame, int offset, int length, boolean inbound);
}
