package org.xnb.netback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MulticastListTest {
    private final MulticastList list = new MulticastList();

    @Test
    void addressAddedTwiceIsListedTwiceAndRemovedOneCopyAtATime() {
        long mac = 0x3333_0000_0001L;
        assertTrue(list.add(mac));
        assertTrue(list.add(mac));
        assertEquals(2, list.size());
        list.remove(mac);
        assertTrue(list.contains(mac));
        list.remove(mac);
        assertFalse(list.contains(mac));
        list.remove(mac); // unknown: ignored
        assertEquals(0, list.size());
    }

    @Test
    void holdsAtMostSixtyFourAddresses() {
        for (int i = 0; i < MulticastList.MAX; i++) {
            assertTrue(list.add(0x0100_5e00_0000L + i));
        }
        assertFalse(list.add(0x0100_5e00_1000L));
        list.remove(0x0100_5e00_0005L);
        assertTrue(list.add(0x0100_5e00_1000L));
        assertTrue(list.contains(0x0100_5e00_003fL));
        list.clear();
        assertEquals(0, list.size());
    }

    @Test
    void onlyTheLow48BitsAreAnAddress() {
        list.add(0xffff_0100_5e00_0001L);
        assertTrue(list.contains(0x0100_5e00_0001L));
    }

    /**
     * One writer adding and deleting addresses (each delete moves the last address into the freed
     * slot, so the one that stays subscribed keeps moving) while readers on other threads look it
     * up: they must never miss it, nor see an address that was never added.
     */
    @Test
    void readersOnOtherThreadsNeverMissAnAddressThatStaysSubscribed() throws Exception {
        MulticastList list = new MulticastList();
        long stays = 0x01005e00_0042L;
        long never = 0x01005e00_0099L;
        list.add(stays);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                long n = 0;
                while (!done.get()) {
                    if (!list.contains(stays) || list.contains(never)) {
                        misses.incrementAndGet();
                    }
                    n++;
                }
                lookups.addAndGet(n);
            }, "mcast-reader-" + r);
            readers[r].start();
        }
        java.util.Random random = new java.util.Random(42);
        int copies = 1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int i = 0; i < 2_000_000 && System.nanoTime() < deadline; i++) {
            long other = 0x01005e00_1000L + random.nextInt(50);
            if (list.size() < MulticastList.MAX - 3 && random.nextBoolean()) {
                list.add(other);
            } else {
                list.remove(0x01005e00_1000L + random.nextInt(50));
            }
            // keep one to three copies of the address that stays: a copy added goes to the end, a
            // delete of another address moves the last entry (often a copy) into the freed slot
            if (copies < 3 && list.size() < MulticastList.MAX && random.nextInt(8) == 0) {
                list.add(stays);
                copies++;
            } else if (copies > 1 && random.nextInt(8) == 0) {
                list.remove(stays);
                copies--;
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join(10_000);
        }
        assertEquals(0, misses.get(), "misses in " + lookups.get() + " lookups");
        assertTrue(lookups.get() > 0);
    }
}
