package org.xnb.tools.admin;

import java.util.ArrayList;
import java.util.List;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.LinkPropertyStatus;
import org.xnb.netback.admin.LinkStatistics;
import org.xnb.netback.admin.VnicStatus;

/** Two vifs with fixed values; records the set/reset calls. */
final class FakeLinkAdmin implements LinkAdmin {
    final List<String> calls = new ArrayList<>();
    String maxbw = "--";

    @Override
    public List<VnicStatus> vnics() {
        return List.of(new VnicStatus("vif1.0", 1, 0, "xnb0", "00:16:3e:00:00:01", "up", "xnb-g1"),
                new VnicStatus("vif12.0", 12, 0, "xenbr0", "00:16:3e:0a:0b:0c", "disabled", null));
    }

    private void check(String link) {
        if (link != null && !link.equals("vif1.0") && !link.equals("vif12.0")) {
            throw new LinkAdminException("no link '" + link + "'; the connected vifs are: vif1.0, vif12.0");
        }
    }

    @Override
    public List<LinkStatistics> statistics(String link) {
        check(link);
        LinkStatistics one = new LinkStatistics("vif1.0", 10, 1000, 20, 2000, 3, 1, 2, 0, 0, 0, 0);
        return link == null ? List.of(one, new LinkStatistics("vif12.0", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                : link.equals("vif1.0") ? List.of(one) : List.of(new LinkStatistics(link, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Override
    public List<LinkPropertyStatus> properties(String link) {
        check(link);
        String l = link == null ? "vif1.0" : link;
        return List.of(new LinkPropertyStatus(l, "maxbw", "rw", maxbw, maxbw.equals("--") ? "2.4" : maxbw, "--", "--"),
                new LinkPropertyStatus(l, "allowed-ips", "rw", "198.18.0.1,2001:db8::/64", "198.18.0.1,2001:db8::/64",
                        "--", "--"));
    }

    @Override
    public void setProperties(String link, String assignments, boolean temporary) {
        check(link);
        calls.add("set " + link + " " + assignments + (temporary ? " -t" : ""));
        if (assignments.startsWith("maxbw=")) {
            maxbw = assignments.substring(6).replace("M", "");
        }
    }

    @Override
    public void resetProperty(String link, String name) {
        check(link);
        calls.add("reset " + link + " " + name);
        maxbw = "--";
    }
}
