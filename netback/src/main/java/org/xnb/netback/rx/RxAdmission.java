package org.xnb.netback.rx;

/**
 * A last word on each frame the Rx engine is about to copy to the guest, asked on the engine's
 * thread once the guest's slots for it are known to be there (so a frame is judged exactly once):
 * the vif's flows (per-flow counters and maxbw) and a snoop. A refused frame takes no ring slot
 * and is released with the ones delivered.
 */
@FunctionalInterface
public interface RxAdmission {
    RxAdmission ALL = (address, length) -> true;

    /** Whether the {@code length}-byte frame at {@code address} goes to the guest. */
    boolean admit(long address, int length);
}
