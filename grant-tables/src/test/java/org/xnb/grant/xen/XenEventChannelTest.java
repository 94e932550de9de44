package org.xnb.grant.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.xnb.grant.EventChannelException;

class XenEventChannelTest {
    private static final long HANDLE = 0x99L;
    private static final int FD = 17;
    private final EvtchnNative lib = mock(EvtchnNative.class);
    private final XenEventChannel channel;

    XenEventChannelTest() {
        when(lib.fd(HANDLE)).thenReturn(FD);
        channel = new XenEventChannel(lib, HANDLE);
    }

    @Test
    void bindReturnsTheLocalPort() {
        when(lib.bindInterdomain(HANDLE, 5, 3)).thenReturn(41);

        assertEquals(41, channel.bindInterdomain(5, 3));
        assertEquals(FD, channel.fd());
    }

    @Test
    void failedBindCarriesTheErrno() {
        when(lib.bindInterdomain(HANDLE, 5, 3)).thenReturn(-1);
        when(lib.errno()).thenReturn(Errno.EINVAL);

        EventChannelException e = assertThrows(EventChannelException.class, () -> channel.bindInterdomain(5, 3));
        assertTrue(e.getMessage().contains("domain 5, port 3"), e.getMessage());
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
    }

    @Test
    void notifyToAPortNotBoundHereFails() {
        when(lib.notify(HANDLE, 9)).thenReturn(-1);
        when(lib.errno()).thenReturn(Errno.ENOTCONN);

        EventChannelException e = assertThrows(EventChannelException.class, () -> channel.notify(9));
        assertTrue(e.getMessage().contains("ENOTCONN"), e.getMessage());
    }

    @Test
    void waitPendingPollsTheFdWithTheTimeoutThenReadsOnePort() {
        when(lib.awaitReadable(FD, 5_000_000L)).thenReturn(true);
        when(lib.pending(HANDLE)).thenReturn(41);

        assertEquals(41, channel.waitPending(5_000_000L));
    }

    @Test
    void waitPendingTimesOutWithoutReading() {
        when(lib.awaitReadable(FD, 0L)).thenReturn(false);

        assertEquals(-1, channel.waitPending(0L));
        verify(lib, never()).pending(anyLong());
    }

    @Test
    void unmaskAndUnbindPassThePort() {
        channel.unmask(41);
        channel.unbind(41);

        verify(lib).unmask(HANDLE, 41);
        verify(lib).unbind(HANDLE, 41);
    }

    @Test
    void closeClosesOnceAndLaterCallsFailCleanly() {
        channel.close();
        channel.close();

        verify(lib, times(1)).close(HANDLE);
        assertThrows(IllegalStateException.class, () -> channel.notify(1));
    }
}
