package org.xnb.netback;

/**
 * Where the Tx engine hands a guest's frame: a switch, a TAP device, another guest's Rx engine.
 * The frame is {@code length} bytes of native memory at {@code address}, whole and linear (the
 * Ethernet and IP headers are never split); memory and metadata are only valid during the call,
 * so a receiver copies what it keeps.
 */
@FunctionalInterface
public interface FrameSink {

    void onFrame(long address, int length, FrameMetadata metadata);
}
