package org.xnb.tools.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.netback.admin.CaptureAdmin;
import org.xnb.netback.admin.FrameCapture;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.tools.capture.PcapWriter;

/**
 * snoop's daemon side over a fake lane: the frames the lane hands over reach the pcap file, the
 * session is DONE after COUNT and detaches its tap, stop closes the file; refusals say why.
 */
class SnoopRequestsTest {
    @TempDir
    Path dir;

    /** One link, vif1.0, whose "lane" is the test: it calls the attached capture. */
    private final AtomicReference<FrameCapture> tap = new AtomicReference<>();
    private final CaptureAdmin admin = (link, capture) -> {
        if (!link.equals("vif1.0")) {
            throw new LinkAdminException("no link '" + link + "'; the connected vifs are: vif1.0");
        }
        if (!tap.compareAndSet(null, capture)) {
            throw new LinkAdminException("a snoop already captures on " + link + "; one at a time per link");
        }
        return new CaptureAdmin.Tap() {
            @Override
            public boolean live() {
                return linkLive;
            }

            @Override
            public void close() {
                tap.set(null);
            }
        };
    };
    private volatile boolean linkLive = true;

    private static AdminRequest snoop(String link, Path file, long count) {
        return new AdminRequest(AdminRequest.SNOOP, link, null, false, false, null, null, file.toString(), count, 128);
    }

    private static AdminRequest op(String op, String id) {
        return new AdminRequest(op, null, null, false, false, id, null, null, 0, 0);
    }

    private static Map<String, String> one(AdminResponse r) {
        assertTrue(r.ok(), r.error());
        return r.rows().get(0);
    }

    @Test
    void framesFromTheLaneReachTheFileAndTheSessionEndsAfterCount() throws Exception {
        SnoopRequests s = new SnoopRequests(admin);
        Path file = dir.resolve("a.pcap");
        String id = one(s.handle(snoop("vif1.0", file, 3))).get("ID");
        UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
        for (int i = 0; i < 5 && tap.get() != null; i++) {
            frame.putInt(0, i);
            tap.get().capture(frame, 0, 200, i % 2 == 0);
        }
        Map<String, String> st = Map.of();
        for (int i = 0; i < 100; i++) {
            st = one(s.handle(op(AdminRequest.SNOOP_STATUS, id)));
            if (st.get("DONE").equals("true")) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals("true", st.get("DONE"), st.toString());
        assertEquals("3", st.get("WRITTEN"));
        assertEquals(null, tap.get(), "the tap is gone once COUNT frames are written");
        Map<String, String> last = one(s.handle(op(AdminRequest.SNOOP_STOP, id)));
        assertEquals("3", last.get("WRITTEN"));
        assertEquals("0", last.get("DROPPED"));
        ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertEquals(PcapWriter.MAGIC_NANOS, pcap.getInt(0));
        assertEquals(24 + 3 * (16 + 128), pcap.capacity(), "3 frames cut at snaplen 128");
        assertEquals(200, pcap.getInt(24 + 12), "the original length is kept");
        assertTrue(!s.handle(op(AdminRequest.SNOOP_STATUS, id)).ok(), "the session is forgotten after stop");
    }

    @Test
    void aSessionIsDoneWhenItsLinkGoesAway() throws Exception {
        SnoopRequests s = new SnoopRequests(admin);
        String id = one(s.handle(snoop("vif1.0", dir.resolve("e.pcap"), 100))).get("ID");
        tap.get().capture(new UnsafeBuffer(new byte[64]), 0, 64, true);
        linkLive = false;
        Map<String, String> st = one(s.handle(op(AdminRequest.SNOOP_STATUS, id)));
        assertEquals("true", st.get("DONE"));
        assertEquals("the link went away", st.get("NOTE"));
        assertEquals(null, tap.get());
        assertEquals("1", one(s.handle(op(AdminRequest.SNOOP_STOP, id))).get("WRITTEN"));
    }

    @Test
    void refusalsSayWhy() {
        SnoopRequests s = new SnoopRequests(admin);
        assertEquals("snoop: the file must be an absolute path, not x.pcap",
                s.handle(new AdminRequest(AdminRequest.SNOOP, "vif1.0", null, false, false, null, null, "x.pcap", 0, 0))
                        .error());
        assertTrue(s.handle(snoop("vif1.0", dir.resolve("no/such/x.pcap"), 0)).error().startsWith("snoop: no directory"));
        assertEquals("no link 'vif9.0'; the connected vifs are: vif1.0",
                s.handle(snoop("vif9.0", dir.resolve("b.pcap"), 0)).error());
        String id = one(s.handle(snoop("vif1.0", dir.resolve("c.pcap"), 0))).get("ID");
        assertEquals("a snoop already captures on vif1.0; one at a time per link",
                s.handle(snoop("vif1.0", dir.resolve("d.pcap"), 0)).error());
        one(s.handle(op(AdminRequest.SNOOP_STOP, id)));
        assertEquals(null, tap.get());
        assertTrue(s.handle(op(AdminRequest.SNOOP_STATUS, "42")).error().startsWith("no snoop session '42'"));
    }
}
