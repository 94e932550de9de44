package org.xnb.netback.port;

import org.xnb.netback.FrameSink;

/**
 * Where a vif's frames go and where its incoming frames come from: the in-process
 * {@link LearningSwitch} between vifs, later a TAP uplink or a VNIC lane. The vif side attaches
 * once per connected vif and detaches when it goes.
 *
 * <p>Threads: {@link PortLink#onFrame} is called by the attached vif's own thread; the port may
 * call the receiver from any thread, several at once (the receiver is an
 * {@link org.xnb.netback.rx.RxEngine}, which is multi-producer).
 */
public interface Port {

    /**
     * Attaches a vif.
     *
     * @param name     the vif's name, for logs ({@code vif5.0})
     * @param mac      the MAC address the toolstack gave the vif, as a 48-bit value, known before
     *                 the guest sends anything (-1 if none)
     * @param receiver takes frames for the vif (must copy them; must not block)
     * @return the vif's link: its Tx frames go to {@link PortLink#onFrame}
     */
    PortLink attach(String name, long mac, FrameSink receiver);
}
