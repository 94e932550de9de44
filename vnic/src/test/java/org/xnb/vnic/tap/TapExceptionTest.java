package org.xnb.vnic.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xnb.vnic.os.LibC;

class TapExceptionTest {
    @Test
    void missingTunDeviceSaysWhatToDo() {
        TapException e = TapException.of("open /dev/net/tun", "", LibC.ENOENT);
        assertEquals("open /dev/net/tun failed: errno 2 (No such file or directory): no /dev/net/tun: load the tun"
                + " module (modprobe tun) or, in a container, pass the device in", e.getMessage());
        assertEquals(LibC.ENOENT, e.errno());
    }

    @Test
    void notPermittedSaysRootIsNeeded() {
        assertEquals("TUNSETIFF (xnb0) failed: errno 1 (Operation not permitted): TAP devices need root"
                + " (or CAP_NET_ADMIN and access to /dev/net/tun)", TapException.of("TUNSETIFF", "xnb0", LibC.EPERM).getMessage());
        assertEquals("open /dev/net/tun failed: errno 13 (Permission denied): TAP devices need root"
                + " (or CAP_NET_ADMIN and access to /dev/net/tun)", TapException.of("open /dev/net/tun", "", LibC.EACCES).getMessage());
    }

    @Test
    void busyNameIsExplained() {
        assertEquals("TUNSETIFF (xnb0) failed: errno 16 (Device or resource busy): a device of that name exists"
                + " with other flags or all its queues are taken", TapException.of("TUNSETIFF", "xnb0", LibC.EBUSY).getMessage());
    }

    @Test
    void otherErrorsCarryNoHint() {
        assertEquals("read (xnb0 queue 1) failed: errno 9 (Bad file descriptor)",
                TapException.of("read", "xnb0 queue 1", LibC.EBADF).getMessage());
    }
}
