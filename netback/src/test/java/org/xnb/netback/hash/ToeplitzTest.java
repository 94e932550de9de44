package org.xnb.netback.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xnb.grant.netif.NetifCtrl;

/**
 * The Toeplitz hash against the Microsoft RSS verification suite (the standard 40-octet key,
 * IPv4 and IPv6, with and without ports) and netif.h's reference code.
 */
class ToeplitzTest {
    /** {source, destination, source port, destination port, hash of addresses, hash with ports}. */
    static final Object[][] IPV4 = {
        {"66.9.149.187", "161.142.100.80", 2794, 1766, 0x323e8fc2, 0x51ccc178},
        {"199.92.111.2", "65.69.140.83", 14230, 4739, 0xd718262a, 0xc626b0ea},
        {"24.19.198.95", "12.22.207.184", 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
        {"38.27.205.30", "209.142.163.6", 48228, 2217, 0x82989176, 0xafc7327f},
        {"153.39.163.191", "202.188.127.2", 44251, 1303, 0x5d1809c5, 0x10e828a2},
    };
    static final Object[][] IPV6 = {
        {"3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766, 0x2cc18cd5, 0x40207d3d},
        {"3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739, 0x0f0c461c, 0xdde51bbf},
        {"3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf", 44251, 38024, 0x4b61e985, 0x02d1feef},
    };

    private final byte[] key = ToeplitzTable.standardKey();
    private final ToeplitzTable table = ToeplitzTable.standard();

    @Test
    void referenceCodeGivesTheVerificationSuite() {
        for (Object[][] rows : new Object[][][] {IPV4, IPV6}) {
            for (Object[] v : rows) {
                byte[] l3 = TestFrames.tuple((String) v[0], (String) v[1], 0, 0, false);
                byte[] l4 = TestFrames.tuple((String) v[0], (String) v[1], (int) v[2], (int) v[3], true);
                assertEquals((int) v[4], ToeplitzReference.hash(key, 40, l3, 0, l3.length), () -> "L3 " + v[0]);
                assertEquals((int) v[5], ToeplitzReference.hash(key, 40, l4, 0, l4.length), () -> "L4 " + v[0]);
            }
        }
    }

    @Test
    void tableGivesTheVerificationSuite() {
        for (Object[][] rows : new Object[][][] {IPV4, IPV6}) {
            for (Object[] v : rows) {
                byte[] l3 = TestFrames.tuple((String) v[0], (String) v[1], 0, 0, false);
                byte[] l4 = TestFrames.tuple((String) v[0], (String) v[1], (int) v[2], (int) v[3], true);
                assertEquals((int) v[4], table.hash(l3, 0, l3.length), () -> "L3 " + v[0]);
                assertEquals((int) v[5], table.hash(l4, 0, l4.length), () -> "L4 " + v[0]);
            }
        }
    }

    /** The same vectors from whole frames in native memory, each flag choosing its fields. */
    @Test
    void framesGiveTheVerificationSuite() {
        TestFrames.Native mem = new TestFrames.Native();
        for (Object[] v : IPV4) {
            long a = mem.put(TestFrames.ipv4((String) v[0], (String) v[1], TestFrames.TCP, (int) v[2], (int) v[3]));
            int len = TestFrames.ipv4((String) v[0], (String) v[1], TestFrames.TCP, 0, 0).length;
            long l4 = FrameHash.hash(table, NetifCtrl.HASH_TYPE_IPV4_TCP, a, len);
            long l3 = FrameHash.hash(table, NetifCtrl.HASH_TYPE_IPV4, a, len);
            assertEquals((int) v[5], FrameHash.value(l4));
            assertEquals(NetifCtrl.HASH_TYPE_IPV4_TCP_BIT, FrameHash.typeBit(l4));
            assertEquals((int) v[4], FrameHash.value(l3));
            assertEquals(NetifCtrl.HASH_TYPE_IPV4_BIT, FrameHash.typeBit(l3));
            // with a VLAN tag (and a QinQ pair) in front, the same hash
            byte[] tagged = TestFrames.ipv4((String) v[0], (String) v[1], TestFrames.TCP, (int) v[2], (int) v[3], 0, 0,
                    0x88a8, 0x8100);
            assertEquals((int) v[5], FrameHash.value(FrameHash.hash(table, FrameHash.ALL_TYPES, mem.put(tagged),
                    tagged.length)));
        }
        for (Object[] v : IPV6) {
            byte[] f = TestFrames.ipv6((String) v[0], (String) v[1], TestFrames.TCP, (int) v[2], (int) v[3]);
            long a = mem.put(f);
            long l4 = FrameHash.hash(table, NetifCtrl.HASH_TYPE_IPV6_TCP, a, f.length);
            long l3 = FrameHash.hash(table, NetifCtrl.HASH_TYPE_IPV6, a, f.length);
            assertEquals((int) v[5], FrameHash.value(l4));
            assertEquals(NetifCtrl.HASH_TYPE_IPV6_TCP_BIT, FrameHash.typeBit(l4));
            assertEquals((int) v[4], FrameHash.value(l3));
            assertEquals(NetifCtrl.HASH_TYPE_IPV6_BIT, FrameHash.typeBit(l3));
        }
    }

    /** netif.h: the first input bit selects the key's first 32 bits; each later bit one bit further. */
    @Test
    void referenceCodeIsTheShiftRegisterDefinition() {
        byte[] k = {(byte) 0x80, 0, 0, 1, (byte) 0xff, 0, 0, 0};
        assertEquals(0x80000001, ToeplitzReference.hash(k, k.length, new byte[] {(byte) 0x80}, 0, 1));
        // the second input bit: the window starting at key bit 1
        assertEquals(0x00000003, ToeplitzReference.hash(k, k.length, new byte[] {0x40}, 0, 1));
        // two bits set: the XOR of both windows
        assertEquals(0x80000001 ^ 0x00000003, ToeplitzReference.hash(k, k.length, new byte[] {(byte) 0xc0}, 0, 1));
        // bit 7 of the input: the window starting at key bit 7
        assertEquals(0x000000ff, ToeplitzReference.hash(k, k.length, new byte[] {0x01}, 0, 1));
        // one octet of input past the 8 pre-loaded key octets pulls in key[8] (here absent: zero)
        assertEquals(0, ToeplitzReference.hash(k, k.length, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80}, 0, 12));
    }

    /** "Any key octets not specified are assumed to be zero": an empty key hashes everything to 0. */
    @Test
    void shortKeysAreZeroPadded() {
        byte[] data = TestFrames.tuple("3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766, true);
        assertEquals(0, ToeplitzReference.hash(new byte[0], 0, data, 0, data.length));
        assertEquals(0, ToeplitzTable.ZERO.hash(data, 0, data.length));
        byte[] padded = Arrays.copyOf(key, 40);
        Arrays.fill(padded, 13, 40, (byte) 0);
        assertEquals(ToeplitzReference.hash(padded, 40, data, 0, data.length),
                ToeplitzReference.hash(key, 13, data, 0, data.length));
        assertEquals(ToeplitzReference.hash(key, 13, data, 0, data.length),
                new ToeplitzTable(key, 13).hash(data, 0, data.length));
    }

    /** The table equals the reference code for any key (0..40 octets) and input (0..36 octets). */
    @Test
    void tableMatchesReferenceCode() {
        qt().withExamples(2000).forAll(integers().all(), integers().between(0, 40), integers().between(0, 36))
                .checkAssert((seed, keyLength, length) -> {
                    Random r = new Random(seed);
                    byte[] k = new byte[keyLength];
                    byte[] d = new byte[length];
                    r.nextBytes(k);
                    r.nextBytes(d);
                    assertEquals(ToeplitzReference.hash(k, keyLength, d, 0, length),
                            new ToeplitzTable(k, keyLength).hash(d, 0, length));
                });
    }

    @Test
    void keysOver40OctetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ToeplitzTable(new byte[41], 41));
        assertThrows(IllegalArgumentException.class, () -> table.hash(new byte[37], 0, 37));
    }
}
