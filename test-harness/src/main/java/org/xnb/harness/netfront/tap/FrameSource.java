package org.xnb.harness.netfront.tap;

import org.agrona.MutableDirectBuffer;

/**
 * What a guest without a kernel (no TAP) sends: the pump asks for the next frame whenever its Tx
 * ring has room. Called on the pump's thread only; must not allocate per frame.
 */
@FunctionalInterface
public interface FrameSource {
    /** Writes the next Ethernet frame at {@code at}; its length, or 0 when there is none now. */
    int next(MutableDirectBuffer buf, int at, int capacity);
}
