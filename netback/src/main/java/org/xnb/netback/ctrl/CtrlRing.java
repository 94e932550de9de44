package org.xnb.netback.ctrl;

import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_NONE;
import static org.xnb.grant.netif.NetifCtrl.HASH_ALGORITHM_TOEPLITZ;
import static org.xnb.grant.netif.NetifCtrl.STATUS_INVALID_PARAMETER;
import static org.xnb.grant.netif.NetifCtrl.STATUS_NOT_SUPPORTED;
import static org.xnb.grant.netif.NetifCtrl.STATUS_SUCCESS;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.GrantTable;
import org.xnb.grant.XenPage;
import org.xnb.grant.netif.CtrlRequest;
import org.xnb.grant.netif.CtrlResponse;
import org.xnb.grant.netif.NetifCtrl;
import org.xnb.grant.ring.BackRing;
import org.xnb.grant.ring.RingProtocolException;
import org.xnb.netback.FatalGuestError;
import org.xnb.netback.GuestRule;
import org.xnb.netback.Notifier;
import org.xnb.netback.QueueListener;
import org.xnb.netback.hash.FrameHash;
import org.xnb.netback.hash.HashSettings;
import org.xnb.netback.hash.QueueSelector;
import org.xnb.netback.hash.ToeplitzTable;

/**
 * The backend of a vif's control ring ({@code feature-ctrl-ring}): serves the guest's hash
 * configuration requests as Linux's {@code xenvif_ctrl_action} / {@code process_ctrl_request}
 * ({@code netback.c}) and {@code hash.c} do, and hands the result to the vif's
 * {@link QueueSelector}.
 *
 * <table>
 * <caption>requests and answers (status names are {@code XEN_NETIF_CTRL_STATUS_*})</caption>
 * <tr><th>type</th><th>answer</th></tr>
 * <tr><td>SET_HASH_ALGORITHM d0=alg</td><td>NONE or TOEPLITZ: SUCCESS; else INVALID_PARAMETER</td></tr>
 * <tr><td>GET_HASH_FLAGS</td><td>algorithm NONE: NOT_SUPPORTED; else SUCCESS, data = all four types</td></tr>
 * <tr><td>SET_HASH_FLAGS d0=flags</td><td>unknown bits or algorithm NONE: INVALID_PARAMETER</td></tr>
 * <tr><td>SET_HASH_KEY d0=gref d1=len</td><td>len &gt; 40 or a failed copy: INVALID_PARAMETER; octets past len zeroed</td></tr>
 * <tr><td>GET_HASH_MAPPING_SIZE</td><td>SUCCESS, data = 128</td></tr>
 * <tr><td>SET_HASH_MAPPING_SIZE d0=n</td><td>n &gt; 128: INVALID_PARAMETER; else a zeroed table of n</td></tr>
 * <tr><td>SET_HASH_MAPPING d0=gref d1=len d2=off</td><td>off+len overflowing or past the size, len over a
 *     page, a failed copy, or any entry &gt;= the number of queues (XSA-270): INVALID_PARAMETER, table unchanged</td></tr>
 * <tr><td>anything else (incl. the GREF_MAPPING types)</td><td>NOT_SUPPORTED</td></tr>
 * </table>
 *
 * <p>Linux never answers BUFFER_OVERFLOW (a key over 40 octets is INVALID_PARAMETER, although
 * netif.h suggests BUFFER_OVERFLOW); every netfront is tested against Linux, so we answer as it does.
 *
 * <p>Shared memory is hostile: each request is copied out of its slot once ({@link CtrlRequest})
 * and only the copy is checked; the key and table arrive by grant copy into private memory and are
 * checked there before they replace anything (Linux copies the table into a second buffer and
 * flips only after the check). A {@code req_prod} more than a ring ahead is fatal for the vif,
 * reported once to the {@link QueueListener} with queue {@link #CONTROL_QUEUE}.
 *
 * <p>{@link #doWork()} answers at most a ring's worth of requests per call, publishes one settings
 * snapshot if anything changed, then pushes the responses (so a guest that saw SUCCESS already
 * steers with the new settings) and kicks the guest if it asked. Single-threaded; allocates only
 * when settings change (the new snapshot, and a new Toeplitz table when the key changed).
 */
public final class CtrlRing {
    /** {@code XEN_NETBK_MAX_HASH_KEY_SIZE}. */
    public static final int MAX_KEY_SIZE = ToeplitzTable.MAX_KEY;
    /** {@code XEN_NETBK_MAX_HASH_MAPPING_SIZE}. */
    public static final int MAX_MAPPING_SIZE = 128;
    /** The "queue" a fatal control-ring error names. */
    public static final int CONTROL_QUEUE = -1;

    private final BackRing ring;
    private final GrantTable grants;
    private final int domid;
    private final int queues;
    private final Notifier notifier;
    private final QueueSelector selector;
    private final QueueListener listener;
    private final CtrlCounters counters = new CtrlCounters();

    private final CtrlRequest request = new CtrlRequest();
    private final GrantCopyBatch copy = new GrantCopyBatch(1);
    /** Private landing page for keys and tables copied from the guest. */
    private final UnsafeBuffer staging =
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(XenPage.SIZE, 64).order(ByteOrder.LITTLE_ENDIAN));

    private int algorithm = HASH_ALGORITHM_NONE;
    private int flags;
    private final byte[] key = new byte[MAX_KEY_SIZE];
    private ToeplitzTable table = ToeplitzTable.ZERO;
    private boolean keyChanged;
    private final int[] mapping = new int[MAX_MAPPING_SIZE];
    private int mappingSize;
    private boolean changed;
    private boolean stopped;

    /**
     * @param ring     the control ring, mapped from {@code ctrl-ring-ref} (16-byte slots, 128 of them)
     * @param grants   the vif's grant-table handle (keys and tables are grant-copied)
     * @param domid    the guest
     * @param notifier kicks {@code event-channel-ctrl}
     * @param selector the vif's queue selector; its queue count bounds the mapping entries
     */
    public CtrlRing(BackRing ring, GrantTable grants, int domid, Notifier notifier, QueueSelector selector,
            QueueListener listener) {
        this.ring = ring;
        this.grants = grants;
        this.domid = domid;
        this.queues = selector.queues();
        this.notifier = notifier;
        this.selector = selector;
        this.listener = listener;
    }

    /**
     * Answers the requests published so far, at most a ring's worth.
     *
     * @return requests answered (0 when idle or stopped)
     */
    public int doWork() {
        if (stopped) {
            return 0;
        }
        int budget;
        try {
            // reads req_prod once; also bounded by free response slots, so at most a ring's worth
            budget = ring.unconsumedRequestsChecked();
        } catch (RingProtocolException impossible) {
            stopped = true;
            listener.onFatal(new FatalGuestError(domid, CONTROL_QUEUE, GuestRule.IMPOSSIBLE_REQUEST_COUNT,
                    "control ring: " + impossible.getMessage()));
            return 0;
        }
        for (int i = 0; i < budget; i++) {
            request.readFrom(ring.buffer(), ring.consumeRequest());
            answer(request);
        }
        if (budget == 0) {
            return 0;
        }
        if (changed) {
            publish();
        }
        if (ring.pushResponsesAndCheckNotify()) {
            counters.notifications++;
            notifier.notifyGuest();
        }
        return budget;
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_REQUESTS}: re-arms {@code req_event} before the caller sleeps.
     *
     * @return true if requests arrived meanwhile (do not sleep)
     */
    public boolean finalCheckForRequests() {
        return !stopped && ring.finalCheckForRequests();
    }

    /** Whether a fatal error stopped this ring. */
    public boolean stopped() {
        return stopped;
    }

    public CtrlCounters counters() {
        return counters;
    }

    private void answer(CtrlRequest req) {
        int data = 0;
        int status;
        switch (req.type()) {
            case NetifCtrl.TYPE_SET_HASH_ALGORITHM:
                status = setAlgorithm(req.data(0));
                break;
            case NetifCtrl.TYPE_GET_HASH_FLAGS:
                status = algorithm == HASH_ALGORITHM_NONE ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
                data = status == STATUS_SUCCESS ? FrameHash.ALL_TYPES : 0;
                break;
            case NetifCtrl.TYPE_SET_HASH_FLAGS:
                status = setFlags(req.data(0));
                break;
            case NetifCtrl.TYPE_SET_HASH_KEY:
                status = setKey(req.data(0), req.data(1));
                break;
            case NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE:
                status = STATUS_SUCCESS;
                data = MAX_MAPPING_SIZE;
                break;
            case NetifCtrl.TYPE_SET_HASH_MAPPING_SIZE:
                status = setMappingSize(req.data(0));
                break;
            case NetifCtrl.TYPE_SET_HASH_MAPPING:
                status = setMapping(req.data(0), req.data(1), req.data(2));
                break;
            default:
                status = STATUS_NOT_SUPPORTED;
                break;
        }
        count(status);
        CtrlResponse.write(ring.buffer(), ring.produceResponse(), req.id(), req.type(), status, data);
    }

    private int setAlgorithm(int alg) {
        if (alg != HASH_ALGORITHM_NONE && alg != HASH_ALGORITHM_TOEPLITZ) {
            return STATUS_INVALID_PARAMETER;
        }
        algorithm = alg;
        changed = true;
        return STATUS_SUCCESS;
    }

    private int setFlags(int requested) {
        if ((requested & ~FrameHash.ALL_TYPES) != 0 || algorithm == HASH_ALGORITHM_NONE) {
            return STATUS_INVALID_PARAMETER;
        }
        flags = requested;
        changed = true;
        return STATUS_SUCCESS;
    }

    /** xenvif_set_hash_key: the key starts at the beginning of the granted page. */
    private int setKey(int gref, int len) {
        if (Integer.compareUnsigned(len, MAX_KEY_SIZE) > 0) {
            return STATUS_INVALID_PARAMETER;
        }
        if (len != 0 && !copyFromGuest(gref, len)) {
            return STATUS_INVALID_PARAMETER;
        }
        staging.getBytes(0, key, 0, len);
        Arrays.fill(key, len, MAX_KEY_SIZE, (byte) 0);
        keyChanged = true;
        changed = true;
        return STATUS_SUCCESS;
    }

    /** xenvif_set_hash_mapping_size: any previous table is replaced by {@code size} zeros. */
    private int setMappingSize(int size) {
        if (Integer.compareUnsigned(size, MAX_MAPPING_SIZE) > 0) {
            return STATUS_INVALID_PARAMETER;
        }
        mappingSize = size;
        Arrays.fill(mapping, 0, size, 0);
        changed = true;
        return STATUS_SUCCESS;
    }

    /**
     * xenvif_set_hash_mapping with the XSA-270 checks: {@code off + len} must not wrap and must
     * stay within the table, the entries must fit one page, and every entry copied must name a
     * queue. Entries outside {@code [off, off + len)} keep their values.
     */
    private int setMapping(int gref, int len, int off) {
        long length = Integer.toUnsignedLong(len);
        long end = Integer.toUnsignedLong(off) + length;
        if (end > mappingSize || length > XenPage.SIZE / Integer.BYTES) {
            return STATUS_INVALID_PARAMETER;
        }
        int n = (int) length;
        if (n == 0) {
            return STATUS_SUCCESS;
        }
        if (!copyFromGuest(gref, n * Integer.BYTES)) {
            return STATUS_INVALID_PARAMETER;
        }
        for (int i = 0; i < n; i++) {
            if (Integer.compareUnsigned(staging.getInt(i * Integer.BYTES, ByteOrder.LITTLE_ENDIAN), queues) >= 0) {
                return STATUS_INVALID_PARAMETER;
            }
        }
        for (int i = 0; i < n; i++) {
            mapping[off + i] = staging.getInt(i * Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
        }
        changed = true;
        return STATUS_SUCCESS;
    }

    /** One grant copy of {@code len} bytes from offset 0 of the guest's {@code gref} into staging. */
    private boolean copyFromGuest(int gref, int len) {
        copy.clear();
        copy.addFromGuest(domid, gref, 0, staging.addressOffset(), len);
        grants.copy(copy);
        if (copy.status(0) != GrantStatus.OKAY) {
            counters.copyFailures++;
            return false;
        }
        return true;
    }

    private void publish() {
        if (keyChanged) {
            table = new ToeplitzTable(key, MAX_KEY_SIZE);
            keyChanged = false;
        }
        selector.publish(new HashSettings(algorithm, flags, table, Arrays.copyOf(mapping, mappingSize)));
        changed = false;
        counters.published++;
    }

    private void count(int status) {
        counters.requests++;
        switch (status) {
            case STATUS_SUCCESS:
                counters.success++;
                break;
            case STATUS_NOT_SUPPORTED:
                counters.notSupported++;
                break;
            default:
                counters.invalidParameter++;
                break;
        }
    }
}
