package org.xnb.grant.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnb.grant.GrantCopyBatch;
import org.xnb.grant.GrantStatus;
import org.xnb.grant.ring.SharedRingDescriptor;

/**
 * The layout proof: a C program compiled against the real Xen headers prints {@code sizeof},
 * {@code offsetof}, ring sizes and constants for every struct, field and value the Java side
 * encodes; each is compared with the Java constant. The two lists must match name for name, so
 * a field added on one side only fails here too. Needs gcc and libxen-dev (bin/test installs
 * them); without them this test fails rather than skips.
 */
class NetifLayoutIT {
    private static final List<Path> HEADERS = List.of(Path.of("/usr/include/xen/io/netif.h"),
            Path.of("/usr/include/xen/io/ring.h"), Path.of("/usr/include/xen/grant_table.h"),
            Path.of("/usr/include/xengnttab.h"));
    private static final long COMPILE_TIMEOUT_S = 120;

    /** Java's view: C expression (printed by the probe under the same name) -> Java value. */
    private static Map<String, Long> javaSide() {
        Map<String, Long> m = new LinkedHashMap<>();
        // io/ring.h shared page, for all three netif rings
        for (String ring : List.of("netif_tx", "netif_rx", "xen_netif_ctrl")) {
            String s = "struct " + ring + "_sring";
            m.put("offsetof(" + s + ", req_prod)", (long) SharedRingDescriptor.REQ_PROD_OFFSET);
            m.put("offsetof(" + s + ", req_event)", (long) SharedRingDescriptor.REQ_EVENT_OFFSET);
            m.put("offsetof(" + s + ", rsp_prod)", (long) SharedRingDescriptor.RSP_PROD_OFFSET);
            m.put("offsetof(" + s + ", rsp_event)", (long) SharedRingDescriptor.RSP_EVENT_OFFSET);
            m.put("offsetof(" + s + ", pvt)", (long) SharedRingDescriptor.PVT_OFFSET);
            m.put("sizeof(((" + s + " *)0)->pvt)", (long) SharedRingDescriptor.PVT_LENGTH);
            m.put("offsetof(" + s + ", __pad)", (long) SharedRingDescriptor.PAD_OFFSET);
            m.put("sizeof(((" + s + " *)0)->__pad)", (long) SharedRingDescriptor.PAD_LENGTH);
            m.put("offsetof(" + s + ", ring)", (long) SharedRingDescriptor.ENTRIES_OFFSET);
        }
        m.put("sizeof(union netif_tx_sring_entry)", (long) Netif.TX_SLOT_BYTES);
        m.put("sizeof(union netif_rx_sring_entry)", (long) Netif.RX_SLOT_BYTES);
        m.put("sizeof(union xen_netif_ctrl_sring_entry)", (long) Netif.CTRL_SLOT_BYTES);
        m.put("__CONST_RING_SIZE(netif_tx, 4096)", (long) Netif.TX_RING_SIZE);
        m.put("__CONST_RING_SIZE(netif_rx, 4096)", (long) Netif.RX_RING_SIZE);
        m.put("__CONST_RING_SIZE(xen_netif_ctrl, 4096)", (long) Netif.CTRL_RING_SIZE);
        m.put("__CONST_RING_SIZE(netif_tx, 8192)", (long) SharedRingDescriptor.ringSize(8192, Netif.TX_SLOT_BYTES));

        // netif_tx_request
        m.put("sizeof(struct netif_tx_request)", (long) TxRequest.LENGTH);
        m.put("offsetof(struct netif_tx_request, gref)", (long) TxRequest.GREF_OFFSET);
        m.put("offsetof(struct netif_tx_request, offset)", (long) TxRequest.OFFSET_OFFSET);
        m.put("offsetof(struct netif_tx_request, flags)", (long) TxRequest.FLAGS_OFFSET);
        m.put("offsetof(struct netif_tx_request, id)", (long) TxRequest.ID_OFFSET);
        m.put("offsetof(struct netif_tx_request, size)", (long) TxRequest.SIZE_OFFSET);
        // netif_tx_response
        m.put("sizeof(struct netif_tx_response)", (long) TxResponse.LENGTH);
        m.put("offsetof(struct netif_tx_response, id)", (long) TxResponse.ID_OFFSET);
        m.put("offsetof(struct netif_tx_response, status)", (long) TxResponse.STATUS_OFFSET);
        m.put("SIGNED(struct netif_tx_response, status)", 1L);
        // netif_extra_info
        m.put("sizeof(struct netif_extra_info)", (long) ExtraInfo.LENGTH);
        m.put("offsetof(struct netif_extra_info, type)", (long) ExtraInfo.TYPE_OFFSET);
        m.put("offsetof(struct netif_extra_info, flags)", (long) ExtraInfo.FLAGS_OFFSET);
        m.put("offsetof(struct netif_extra_info, u)", (long) ExtraInfo.UNION_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.gso.size)", (long) ExtraInfo.GSO_SIZE_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.gso.type)", (long) ExtraInfo.GSO_TYPE_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.gso.pad)", (long) ExtraInfo.GSO_PAD_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.gso.features)", (long) ExtraInfo.GSO_FEATURES_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.mcast.addr)", (long) ExtraInfo.MCAST_ADDR_OFFSET);
        m.put("sizeof(((struct netif_extra_info *)0)->u.mcast.addr)", 6L);
        m.put("offsetof(struct netif_extra_info, u.hash.type)", (long) ExtraInfo.HASH_TYPE_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.hash.algorithm)", (long) ExtraInfo.HASH_ALGORITHM_OFFSET);
        m.put("offsetof(struct netif_extra_info, u.hash.value)", (long) ExtraInfo.HASH_VALUE_OFFSET);
        m.put("sizeof(((struct netif_extra_info *)0)->u.hash.value)", 4L);
        // netif_rx_request / response
        m.put("sizeof(struct netif_rx_request)", (long) RxRequest.LENGTH);
        m.put("offsetof(struct netif_rx_request, id)", (long) RxRequest.ID_OFFSET);
        m.put("offsetof(struct netif_rx_request, pad)", (long) RxRequest.PAD_OFFSET);
        m.put("offsetof(struct netif_rx_request, gref)", (long) RxRequest.GREF_OFFSET);
        m.put("sizeof(struct netif_rx_response)", (long) RxResponse.LENGTH);
        m.put("offsetof(struct netif_rx_response, id)", (long) RxResponse.ID_OFFSET);
        m.put("offsetof(struct netif_rx_response, offset)", (long) RxResponse.OFFSET_OFFSET);
        m.put("offsetof(struct netif_rx_response, flags)", (long) RxResponse.FLAGS_OFFSET);
        m.put("offsetof(struct netif_rx_response, status)", (long) RxResponse.STATUS_OFFSET);
        m.put("SIGNED(struct netif_rx_response, status)", 1L);
        // control ring
        m.put("sizeof(struct xen_netif_ctrl_request)", (long) CtrlRequest.LENGTH);
        m.put("offsetof(struct xen_netif_ctrl_request, id)", (long) CtrlRequest.ID_OFFSET);
        m.put("offsetof(struct xen_netif_ctrl_request, type)", (long) CtrlRequest.TYPE_OFFSET);
        m.put("offsetof(struct xen_netif_ctrl_request, data)", (long) CtrlRequest.DATA_OFFSET);
        m.put("sizeof(((struct xen_netif_ctrl_request *)0)->data) / 4", (long) CtrlRequest.DATA_COUNT);
        m.put("sizeof(struct xen_netif_ctrl_response)", (long) CtrlResponse.LENGTH);
        m.put("offsetof(struct xen_netif_ctrl_response, id)", (long) CtrlResponse.ID_OFFSET);
        m.put("offsetof(struct xen_netif_ctrl_response, type)", (long) CtrlResponse.TYPE_OFFSET);
        m.put("offsetof(struct xen_netif_ctrl_response, status)", (long) CtrlResponse.STATUS_OFFSET);
        m.put("offsetof(struct xen_netif_ctrl_response, data)", (long) CtrlResponse.DATA_OFFSET);

        // xengnttab_grant_copy_segment_t (org.xnb.grant.GrantCopyBatch)
        String seg = "xengnttab_grant_copy_segment_t";
        m.put("sizeof(" + seg + ")", (long) GrantCopyBatch.SEGMENT_SIZE);
        m.put("offsetof(" + seg + ", source)", (long) GrantCopyBatch.SOURCE_OFFSET);
        m.put("offsetof(" + seg + ", dest)", (long) GrantCopyBatch.DEST_OFFSET);
        m.put("offsetof(" + seg + ", len)", (long) GrantCopyBatch.LEN_OFFSET);
        m.put("offsetof(" + seg + ", flags)", (long) GrantCopyBatch.FLAGS_OFFSET);
        m.put("offsetof(" + seg + ", status)", (long) GrantCopyBatch.STATUS_OFFSET);
        m.put("SIGNED(" + seg + ", status)", 1L);
        m.put("offsetof(" + seg + ", source.foreign.ref)", (long) GrantCopyBatch.FOREIGN_REF);
        m.put("offsetof(" + seg + ", source.foreign.offset)", (long) GrantCopyBatch.FOREIGN_OFFSET);
        m.put("offsetof(" + seg + ", source.foreign.domid)", (long) GrantCopyBatch.FOREIGN_DOMID);
        m.put("offsetof(" + seg + ", dest.foreign.ref) - offsetof(" + seg + ", dest)", (long) GrantCopyBatch.FOREIGN_REF);
        m.put("offsetof(" + seg + ", dest.foreign.offset) - offsetof(" + seg + ", dest)",
                (long) GrantCopyBatch.FOREIGN_OFFSET);
        m.put("offsetof(" + seg + ", dest.foreign.domid) - offsetof(" + seg + ", dest)",
                (long) GrantCopyBatch.FOREIGN_DOMID);
        m.put("GNTCOPY_source_gref", (long) GrantCopyBatch.FLAG_SOURCE_GREF);
        m.put("GNTCOPY_dest_gref", (long) GrantCopyBatch.FLAG_DEST_GREF);
        int[] gntst = {GrantStatus.OKAY, GrantStatus.GENERAL_ERROR, GrantStatus.BAD_DOMAIN, GrantStatus.BAD_GNTREF,
            GrantStatus.BAD_HANDLE, GrantStatus.BAD_VIRT_ADDR, GrantStatus.BAD_DEV_ADDR, GrantStatus.NO_DEVICE_SPACE,
            GrantStatus.PERMISSION_DENIED, GrantStatus.BAD_PAGE, GrantStatus.BAD_COPY_ARG,
            GrantStatus.ADDRESS_TOO_BIG, GrantStatus.EAGAIN, GrantStatus.NO_SPACE};
        for (int status : gntst) {
            // GrantStatus.name() gives the header's macro name, so the probe prints that macro's value
            m.put(GrantStatus.name(status), (long) status);
        }

        // netif.h constants
        m.put("XEN_NETIF_NR_SLOTS_MIN", (long) Netif.NR_SLOTS_MIN);
        m.put("XEN_NETIF_MAX_TX_SIZE", (long) Netif.MAX_TX_SIZE);
        m.put("NETIF_RSP_DROPPED", (long) Netif.RSP_DROPPED);
        m.put("NETIF_RSP_ERROR", (long) Netif.RSP_ERROR);
        m.put("NETIF_RSP_OKAY", (long) Netif.RSP_OKAY);
        m.put("NETIF_RSP_NULL", (long) Netif.RSP_NULL);
        m.put("_NETTXF_csum_blank", (long) NetTxFlags.CSUM_BLANK_BIT);
        m.put("_NETTXF_data_validated", (long) NetTxFlags.DATA_VALIDATED_BIT);
        m.put("_NETTXF_more_data", (long) NetTxFlags.MORE_DATA_BIT);
        m.put("_NETTXF_extra_info", (long) NetTxFlags.EXTRA_INFO_BIT);
        m.put("NETTXF_csum_blank", (long) NetTxFlags.CSUM_BLANK);
        m.put("NETTXF_data_validated", (long) NetTxFlags.DATA_VALIDATED);
        m.put("NETTXF_more_data", (long) NetTxFlags.MORE_DATA);
        m.put("NETTXF_extra_info", (long) NetTxFlags.EXTRA_INFO);
        m.put("_NETRXF_data_validated", (long) NetRxFlags.DATA_VALIDATED_BIT);
        m.put("_NETRXF_csum_blank", (long) NetRxFlags.CSUM_BLANK_BIT);
        m.put("_NETRXF_more_data", (long) NetRxFlags.MORE_DATA_BIT);
        m.put("_NETRXF_extra_info", (long) NetRxFlags.EXTRA_INFO_BIT);
        m.put("_NETRXF_gso_prefix", (long) NetRxFlags.GSO_PREFIX_BIT);
        m.put("NETRXF_data_validated", (long) NetRxFlags.DATA_VALIDATED);
        m.put("NETRXF_csum_blank", (long) NetRxFlags.CSUM_BLANK);
        m.put("NETRXF_more_data", (long) NetRxFlags.MORE_DATA);
        m.put("NETRXF_extra_info", (long) NetRxFlags.EXTRA_INFO);
        m.put("NETRXF_gso_prefix", (long) NetRxFlags.GSO_PREFIX);
        m.put("XEN_NETIF_EXTRA_TYPE_NONE", (long) ExtraInfo.TYPE_NONE);
        m.put("XEN_NETIF_EXTRA_TYPE_GSO", (long) ExtraInfo.TYPE_GSO);
        m.put("XEN_NETIF_EXTRA_TYPE_MCAST_ADD", (long) ExtraInfo.TYPE_MCAST_ADD);
        m.put("XEN_NETIF_EXTRA_TYPE_MCAST_DEL", (long) ExtraInfo.TYPE_MCAST_DEL);
        m.put("XEN_NETIF_EXTRA_TYPE_HASH", (long) ExtraInfo.TYPE_HASH);
        m.put("XEN_NETIF_EXTRA_TYPE_MAX", (long) ExtraInfo.TYPE_MAX);
        m.put("_XEN_NETIF_EXTRA_FLAG_MORE", (long) ExtraInfo.FLAG_MORE_BIT);
        m.put("XEN_NETIF_EXTRA_FLAG_MORE", (long) ExtraInfo.FLAG_MORE);
        m.put("XEN_NETIF_GSO_TYPE_NONE", (long) ExtraInfo.GSO_TYPE_NONE);
        m.put("XEN_NETIF_GSO_TYPE_TCPV4", (long) ExtraInfo.GSO_TYPE_TCPV4);
        m.put("XEN_NETIF_GSO_TYPE_TCPV6", (long) ExtraInfo.GSO_TYPE_TCPV6);
        m.put("XEN_NETIF_CTRL_TYPE_INVALID", (long) NetifCtrl.TYPE_INVALID);
        m.put("XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS", (long) NetifCtrl.TYPE_GET_HASH_FLAGS);
        m.put("XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS", (long) NetifCtrl.TYPE_SET_HASH_FLAGS);
        m.put("XEN_NETIF_CTRL_TYPE_SET_HASH_KEY", (long) NetifCtrl.TYPE_SET_HASH_KEY);
        m.put("XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE", (long) NetifCtrl.TYPE_GET_HASH_MAPPING_SIZE);
        m.put("XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE", (long) NetifCtrl.TYPE_SET_HASH_MAPPING_SIZE);
        m.put("XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING", (long) NetifCtrl.TYPE_SET_HASH_MAPPING);
        m.put("XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM", (long) NetifCtrl.TYPE_SET_HASH_ALGORITHM);
        m.put("XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE", (long) NetifCtrl.TYPE_GET_GREF_MAPPING_SIZE);
        m.put("XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING", (long) NetifCtrl.TYPE_ADD_GREF_MAPPING);
        m.put("XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING", (long) NetifCtrl.TYPE_DEL_GREF_MAPPING);
        m.put("XEN_NETIF_CTRL_STATUS_SUCCESS", (long) NetifCtrl.STATUS_SUCCESS);
        m.put("XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED", (long) NetifCtrl.STATUS_NOT_SUPPORTED);
        m.put("XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER", (long) NetifCtrl.STATUS_INVALID_PARAMETER);
        m.put("XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW", (long) NetifCtrl.STATUS_BUFFER_OVERFLOW);
        m.put("_XEN_NETIF_CTRL_HASH_TYPE_IPV4", (long) NetifCtrl.HASH_TYPE_IPV4_BIT);
        m.put("_XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP", (long) NetifCtrl.HASH_TYPE_IPV4_TCP_BIT);
        m.put("_XEN_NETIF_CTRL_HASH_TYPE_IPV6", (long) NetifCtrl.HASH_TYPE_IPV6_BIT);
        m.put("_XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP", (long) NetifCtrl.HASH_TYPE_IPV6_TCP_BIT);
        m.put("XEN_NETIF_CTRL_HASH_TYPE_IPV4", (long) NetifCtrl.HASH_TYPE_IPV4);
        m.put("XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP", (long) NetifCtrl.HASH_TYPE_IPV4_TCP);
        m.put("XEN_NETIF_CTRL_HASH_TYPE_IPV6", (long) NetifCtrl.HASH_TYPE_IPV6);
        m.put("XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP", (long) NetifCtrl.HASH_TYPE_IPV6_TCP);
        m.put("XEN_NETIF_CTRL_HASH_ALGORITHM_NONE", (long) NetifCtrl.HASH_ALGORITHM_NONE);
        m.put("XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ", (long) NetifCtrl.HASH_ALGORITHM_TOEPLITZ);
        return m;
    }

    /** The probe: one {@code P(expr)} line per entry; the C preprocessor stringifies the name. */
    private static String probe(Iterable<String> expressions) {
        StringBuilder c = new StringBuilder();
        c.append("#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n")
                .append("#include <xengnttab.h>\n#include <xen/grant_table.h>\n#include <xen/io/netif.h>\n\n")
                .append("#define SIGNED(type, field) ((__typeof__(((type *)0)->field))-1 < 0)\n")
                .append("#define P(expr) printf(\"%s\\t%lld\\n\", #expr, (long long)(expr))\n\n")
                .append("int main(void)\n{\n");
        for (String e : expressions) {
            c.append("    P(").append(e).append(");\n");
        }
        return c.append("    return 0;\n}\n").toString();
    }

    @Test
    void javaLayoutMatchesTheRealXenHeaders(@TempDir Path dir) throws Exception {
        requireToolchain();
        Map<String, Long> expected = javaSide();
        Path source = dir.resolve("netif_layout.c");
        Path binary = dir.resolve("netif_layout");
        Files.writeString(source, probe(expected.keySet()), StandardCharsets.UTF_8);
        run(dir, "gcc", "-std=gnu11", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        Map<String, Long> actual = parse(run(dir, binary.toString()));

        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), "probe printed other names");
        List<String> wrong = new ArrayList<>();
        expected.forEach((name, javaValue) -> {
            if (!javaValue.equals(actual.get(name))) {
                wrong.add(name + ": C says " + actual.get(name) + ", Java says " + javaValue);
            }
        });
        assertTrue(wrong.isEmpty(), "Java layout differs from the Xen headers:\n  " + String.join("\n  ", wrong));
        assertTrue(actual.size() > 150, "compared " + actual.size() + " values");
    }

    private static void requireToolchain() {
        List<String> missing = new ArrayList<>();
        for (Path h : HEADERS) {
            if (!Files.isRegularFile(h)) {
                missing.add(h.toString());
            }
        }
        if (!onPath("gcc")) {
            missing.add("gcc");
        }
        if (!missing.isEmpty()) {
            fail("layout proof needs gcc and the Xen headers; missing " + missing
                    + ": install them with `apt-get install gcc libc6-dev libxen-dev` (bin/test does this as root)");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(COMPILE_TIMEOUT_S, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish in " + COMPILE_TIMEOUT_S + " s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static Map<String, Long> parse(String output) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            if (tab < 0) {
                fail("unparseable probe line: " + line);
            }
            values.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1).trim()));
        }
        return values;
    }
}
