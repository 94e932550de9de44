package org.xnb.vnic.stub;

import java.util.ArrayList;
import java.util.List;

/** A receiver that remembers what it got (destination MAC, VLAN, length). */
final class Recorder implements FrameReceiver {
    final String name;
    final List<String> got = new ArrayList<>();
    long frames;

    Recorder(String name) {
        this.name = name;
    }

    @Override
    public void onFrame(long address, int length, int vlanId) {
        frames++;
        got.add(Long.toHexString(StubFrames.destination(address)) + "@" + vlanId + "/" + length);
    }
}
