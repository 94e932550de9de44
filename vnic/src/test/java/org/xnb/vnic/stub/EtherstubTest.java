package org.xnb.vnic.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.Vnic;

class EtherstubTest {
    private static final long A = MacAddress.parse("00:16:3e:00:00:0a");
    private static final long B = MacAddress.parse("00:16:3e:00:00:0b");
    private static final long C = MacAddress.parse("00:16:3e:00:00:0c");
    private static final long GROUP = MacAddress.parse("01:00:5e:00:00:fb");
    private final Etherstub stub = new Etherstub("stub0");
    private final TestFrames f = new TestFrames();
    private final Recorder ra = new Recorder("a");
    private final Recorder rb = new Recorder("b");
    private final Recorder rc = new Recorder("c");

    @Test
    void unicastReachesOnlyTheOwnerOfTheDestination() {
        StubPort a = stub.attach("a", A, 0, ra);
        stub.attach("b", B, 0, rb);
        stub.attach("c", C, 0, rc);
        a.send(f.address(), f.write(B, A, -1));
        assertEquals(List.of("163e00000b@0/60"), rb.got);
        assertEquals(0, ra.frames + rc.frames);
        assertEquals(1, a.unicastSent());
    }

    @Test
    void unknownDestinationsAndFramesToOneselfAreDroppedAndCounted() {
        StubPort a = stub.attach("a", A, 0, ra);
        stub.attach("b", B, 0, rb);
        a.send(f.address(), f.write(C, A, -1));
        a.send(f.address(), f.write(A, A, -1));
        assertEquals(0, ra.frames + rb.frames);
        assertEquals(2, a.unknownDestination());
    }

    @Test
    void broadcastReachesEveryoneButTheSender() {
        StubPort a = stub.attach("a", A, 0, ra);
        stub.attach("b", B, 0, rb);
        stub.attach("c", C, 0, rc);
        a.send(f.address(), f.write(MacAddress.BROADCAST, A, -1));
        assertEquals(0, ra.frames);
        assertEquals(1, rb.frames);
        assertEquals(1, rc.frames);
        assertEquals(2, a.deliveries());
    }

    @Test
    void multicastReachesOnlySubscribersUntilTheyUnsubscribe() {
        StubPort a = stub.attach("a", A, 0, ra);
        StubPort b = stub.attach("b", B, 0, rb);
        stub.attach("c", C, 0, rc);
        a.send(f.address(), f.write(GROUP, A, -1));
        assertEquals(0, rb.frames + rc.frames);
        assertTrue(b.subscribe(GROUP));
        assertFalse(b.subscribe(GROUP));
        a.send(f.address(), f.write(GROUP, A, -1));
        assertEquals(1, rb.frames);
        assertEquals(0, rc.frames);
        assertTrue(a.subscribe(GROUP));
        a.send(f.address(), f.write(GROUP, A, -1));
        assertEquals(0, ra.frames, "not back to the sender even when it subscribed");
        assertTrue(b.unsubscribe(GROUP));
        assertFalse(b.unsubscribe(GROUP));
        a.send(f.address(), f.write(GROUP, A, -1));
        assertEquals(2, rb.frames);
        assertThrows(IllegalArgumentException.class, () -> b.subscribe(B));
        assertThrows(IllegalArgumentException.class, () -> b.subscribe(MacAddress.BROADCAST));
    }

    @Test
    void aVnicWithAVlanOnlySeesItsVlan() {
        StubPort a = stub.attach(new Vnic("a", A, 5, "stub0"), ra);
        stub.attach(new Vnic("b", B, 5, "stub0"), rb);
        StubPort c = stub.attach(new Vnic("c", C, 0, "stub0"), rc);
        StubPort b7 = stub.attach("b7", B, 7, new Recorder("b7")); // same MAC, other VLAN: allowed
        a.send(f.address(), f.write(MacAddress.BROADCAST, A, -1));
        assertEquals(List.of("ffffffffffff@5/60"), rb.got);
        assertEquals(0, rc.frames);
        c.send(f.address(), f.write(B, C, -1)); // untagged: VLAN 0, B is not there
        assertEquals(1, rb.frames);
        assertEquals(1, c.unknownDestination());
        c.send(f.address(), f.write(B, C, 5)); // tagged 5 by an untagged port: reaches b in VLAN 5
        assertEquals("163e00000b@5/64", rb.got.get(1));
        a.send(f.address(), f.write(B, A, 5)); // a VLAN port must send untagged
        assertEquals(1, a.dropped());
        assertEquals(2, rb.frames);
        assertEquals(7, b7.vlanId());
    }

    @Test
    void aTakenMacInTheSameVlanIsRefused() {
        stub.attach("a", A, 0, ra);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stub.attach("a2", A, 0, rb));
        assertTrue(e.getMessage().contains("already used by a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stub.attach("g", GROUP, 0, rb));
        assertThrows(IllegalArgumentException.class, () -> stub.attach("v", B, 4095, rb));
    }

    @Test
    void aDetachedPortReceivesNothingAndItsMacIsFree() {
        StubPort a = stub.attach("a", A, 0, ra);
        StubPort b = stub.attach("b", B, 0, rb);
        b.close();
        a.send(f.address(), f.write(B, A, -1));
        a.send(f.address(), f.write(MacAddress.BROADCAST, A, -1));
        assertEquals(0, rb.frames);
        assertEquals(1, stub.ports().length);
        stub.attach("b2", B, 0, rc);
        a.send(f.address(), f.write(B, A, -1));
        assertEquals(1, rc.frames);
        b.send(f.address(), f.write(A, B, -1));
        assertEquals(1, b.dropped());
    }

    @Test
    void runtsAreDropped() {
        StubPort a = stub.attach("a", A, 0, ra);
        stub.attach("b", B, 0, rb);
        a.send(f.address(), 13);
        f.write(B, A, 5);
        a.send(f.address(), 16); // tag cut short
        assertEquals(2, a.dropped());
        assertEquals(0, rb.frames);
    }

    @Test
    void switchingAFrameAllocatesNothing() {
        StubPort a = stub.attach("a", A, 0, ra);
        long[] counts = new long[3];
        stub.attach("b", B, 0, (addr, len, vlan) -> counts[0]++);
        StubPort c = stub.attach("c", C, 0, (addr, len, vlan) -> counts[1]++);
        c.subscribe(GROUP);
        int uni = f.write(B, A, -1);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm up (JIT)
            a.send(f.address(), uni);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            a.send(f.address(), uni);
        }
        long after = mx.getThreadAllocatedBytes(tid);
        int mlen = f.write(GROUP, A, -1);
        for (int i = 0; i < 20_000; i++) {
            a.send(f.address(), mlen);
        }
        long before2 = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            a.send(f.address(), mlen);
        }
        long after2 = mx.getThreadAllocatedBytes(tid);
        assertEquals(120_000, counts[0]);
        assertEquals(120_000, counts[1]);
        // one 16-byte object per frame would be 1.6 MB; the slack covers the JIT swapping code in
        assertTrue(after - before < 8192, "100000 unicast frames allocated " + (after - before) + " bytes");
        assertTrue(after2 - before2 < 8192, "100000 multicast frames allocated " + (after2 - before2) + " bytes");
    }
}
