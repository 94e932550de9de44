package org.xnb.vnic.stub;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds test frames in one reusable off-heap buffer. */
final class TestFrames {
    final UnsafeBuffer buf = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));

    /** Writes a frame; {@code tag} < 0 = untagged. Returns its length. */
    int write(long dst, long src, int tag) {
        put48(0, dst);
        put48(6, src);
        int at = 12;
        if (tag >= 0) {
            buf.putByte(at++, (byte) 0x81);
            buf.putByte(at++, (byte) 0x00);
            buf.putByte(at++, (byte) (tag >> 8 & 0x0f));
            buf.putByte(at++, (byte) tag);
        }
        buf.putByte(at++, (byte) 0x08);
        buf.putByte(at++, (byte) 0x00);
        for (int i = 0; i < 46; i++) {
            buf.putByte(at++, (byte) i);
        }
        return at;
    }

    long address() {
        return buf.addressOffset();
    }

    private void put48(int at, long mac) {
        for (int i = 0; i < 6; i++) {
            buf.putByte(at + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }
}
