package org.xnb.netback.hash;

import org.xnb.grant.netif.NetifCtrl;

/**
 * Chooses the queue of a vif for a frame going to the guest, as Linux's
 * {@code xenvif_select_queue}: with algorithm NONE (no control ring, or the guest chose none) the
 * backend's own flow hash ({@link FrameHash#spread}) modulo the number of queues; with TOEPLITZ
 * the guest's hash ({@link FrameHash#hash}, 0 when no flag covers the frame), then
 * {@code mapping[hash % size]}, or {@code hash % queues} while the table is empty.
 *
 * <p>Any number of threads may call {@link #select} at once: it reads one volatile snapshot
 * ({@link HashSettings}) and allocates nothing. Only the control ring's thread calls
 * {@link #publish}. Frames of one flow get the same queue until the guest changes its settings.
 */
public final class QueueSelector {
    private final int queues;
    private volatile HashSettings settings = HashSettings.DEFAULT;

    /** A selector over {@code queues} queues (1..). */
    public QueueSelector(int queues) {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be >= 1: " + queues);
        }
        this.queues = queues;
    }

    public int queues() {
        return queues;
    }

    /** The queue (0..queues-1) for the frame of {@code length} bytes at {@code address}. */
    public int select(long address, int length) {
        HashSettings s = settings;
        if (s.algorithm() == NetifCtrl.HASH_ALGORITHM_NONE) {
            return queues == 1 ? 0 : Integer.remainderUnsigned(FrameHash.spread(address, length), queues);
        }
        int hash = FrameHash.value(FrameHash.hash(s.key(), s.flags(), address, length));
        int size = s.mappingSize();
        if (size == 0) {
            return Integer.remainderUnsigned(hash, queues);
        }
        return s.mappingEntry(Integer.remainderUnsigned(hash, size));
    }

    /**
     * The guest's hash of the frame for a HASH extra ({@link FrameHash} result), or
     * {@link FrameHash#NONE} when the guest chose no algorithm or no flag covers the frame.
     */
    public long guestHash(long address, int length) {
        HashSettings s = settings;
        if (s.algorithm() == NetifCtrl.HASH_ALGORITHM_NONE) {
            return FrameHash.NONE;
        }
        return FrameHash.hash(s.key(), s.flags(), address, length);
    }

    /**
     * The queue for a frame whose {@link #guestHash} was {@code guestHash} (not {@link FrameHash#NONE}):
     * {@code mapping[hash % size]}, or {@code hash % queues} without a table; so a caller that
     * needs the hash for a HASH extra hashes the frame once.
     */
    public int queueOf(long guestHash) {
        HashSettings s = settings;
        int hash = FrameHash.value(guestHash);
        int size = s.mappingSize();
        if (size == 0) {
            return Integer.remainderUnsigned(hash, queues);
        }
        return s.mappingEntry(Integer.remainderUnsigned(hash, size));
    }

    /** The settings in force. */
    public HashSettings settings() {
        return settings;
    }

    /**
     * Installs new settings (the control ring's thread). Every mapping entry must be a queue of
     * this selector: the control ring checks that before (XSA-270), this guards it.
     */
    public void publish(HashSettings next) {
        for (int i = 0; i < next.mappingSize(); i++) {
            int q = next.mappingEntry(i);
            if (q < 0 || q >= queues) {
                throw new IllegalArgumentException("mapping[" + i + "] = " + q + " is not a queue (0.." + (queues - 1) + ")");
            }
        }
        settings = next;
    }
}
