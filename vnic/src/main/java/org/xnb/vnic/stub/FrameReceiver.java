package org.xnb.vnic.stub;

/**
 * Where an etherstub delivers a frame: a VNIC lane's receive side (queue it, ring its doorbell).
 * Called on the sender's thread; must not keep the address after it returns (copy the frame out)
 * and must not block.
 */
@FunctionalInterface
public interface FrameReceiver {

    /**
     * @param address native address of the Ethernet frame, as the sender wrote it (an 802.1Q tag
     *                stays where the sender put it: see {@link StubFrames#isTagged})
     * @param length  bytes
     * @param vlanId  the VLAN the frame was switched in (0 = untagged)
     */
    void onFrame(long address, int length, int vlanId);
}
