package org.xnb.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DIRECTORY answered E2BIG: the listing is fetched with DIRECTORY_PART. The fake peer slices
 * the child list the way xenstored's {@code send_directory_part()} does.
 */
class DirectoryPartTest {
    private FakePeer peer;
    private XenstoreClient client;
    private final List<XsMessage> log = new CopyOnWriteArrayList<>();
    private final List<String> children = new ArrayList<>();
    private final AtomicInteger generation = new AtomicInteger(7);
    /** Bumps the generation when a part request with this offset arrives (-1: never). */
    private volatile int bumpAtOffset = -1;
    private volatile int bumpsLeft = 0;
    private volatile boolean partSupported = true;

    @BeforeEach
    void setUp() throws Exception {
        for (int i = 0; i < 1500; i++) {
            children.add("child-number-" + i); // ~24 KB of names: several parts
        }
        peer = new FakePeer();
        peer.respondWith(req -> {
            log.add(req);
            if (req.type() == XsType.DIRECTORY) {
                return List.of(FakePeer.error(req, "E2BIG"));
            }
            if (!partSupported) {
                return List.of(FakePeer.error(req, "ENOSYS"));
            }
            List<String> a = req.payloadStrings(false);
            int off = Integer.parseInt(a.get(1));
            if (off == bumpAtOffset && bumpsLeft-- > 0) {
                generation.incrementAndGet();
            }
            return List.of(FakePeer.replyBytes(req, part(off)));
        });
        client = peer.connect(XenstoreClientConfig.defaults().withMaxDirectoryRestarts(3)
                .withRequestTimeout(Duration.ofSeconds(10)));
    }

    /** send_directory_part(): gen\0 then whole names up to the payload limit, \0 after the last. */
    private byte[] part(int off) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String c : children) {
            all.writeBytes(c.getBytes(StandardCharsets.UTF_8));
            all.write(0);
        }
        byte[] list = all.toByteArray();
        byte[] gen = (generation.get() + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(gen);
        if (off >= list.length) {
            out.write(0);
            return out.toByteArray();
        }
        int maxlen = XsWire.PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        while (true) {
            int nameLen = 0;
            while (list[off + len + nameLen] != 0) {
                nameLen++;
            }
            if (len + nameLen >= maxlen) {
                break;
            }
            len += nameLen + 1;
            if (off + len == list.length) {
                break;
            }
        }
        out.write(list, off, len);
        if (off + len == list.length) {
            out.write(0);
        }
        return out.toByteArray();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        peer.close();
    }

    private int parts() {
        int n = 0;
        for (XsMessage m : log) {
            if (m.type() == XsType.DIRECTORY_PART) {
                n++;
            }
        }
        return n;
    }

    @Test
    void reassemblesAllChildrenFromParts() {
        assertEquals(children, client.directory("/big"));
        assertTrue(parts() >= 6, "expected several parts, got " + parts());
        XsMessage first = log.get(1);
        assertEquals(new XsMessage(XsType.DIRECTORY_PART, first.reqId(), 0, XsMessage.nulJoined("/big", "0")), first);
        // the second part asks for the byte offset just past the first part's names
        int firstLen = part(0).length - "7\0".length();
        assertEquals(List.of("/big", Integer.toString(firstLen)), log.get(2).payloadStrings(false));
    }

    @Test
    void generationChangeRestartsFromOffsetZero() {
        children.remove(0);
        bumpAtOffset = part(0).length - 2; // the offset of the second request
        bumpsLeft = 1;
        assertEquals(children, client.directory("/big"));
        List<Integer> offsets = new ArrayList<>();
        for (XsMessage m : log) {
            if (m.type() == XsType.DIRECTORY_PART) {
                offsets.add(Integer.parseInt(m.payloadStrings(false).get(1)));
            }
        }
        assertEquals(0, offsets.get(0));
        assertEquals(0, offsets.get(2), "after the generation changed the listing starts again");
    }

    @Test
    void restartsAreBounded() {
        bumpAtOffset = part(0).length - 2;
        bumpsLeft = Integer.MAX_VALUE;
        XenstoreException e = assertThrows(XenstoreException.class, () -> client.directory("/big"));
        assertEquals(XsError.EAGAIN, e.error());
        assertEquals(8, parts(), "initial pass + 3 restarts, two requests each");
    }

    @Test
    void oldXenstoredWithoutPartsReportsE2big() {
        partSupported = false;
        XenstoreException e = assertThrows(XenstoreException.class, () -> client.directory("/big"));
        assertEquals(XsError.E2BIG, e.error());
    }

    @Test
    void insideTransactionThePartsCarryTheTxId() {
        assertEquals(children, client.inTransaction(33).directory("/big"));
        for (XsMessage m : log) {
            assertEquals(33, m.txId());
        }
    }
}
