package org.xnb.tools.config;

import java.util.List;
import org.xnb.netback.admin.FlowAdmin;
import org.xnb.netback.admin.FlowStatus;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/**
 * flowadm's changes kept in the configuration file: each is applied to the running daemon first
 * (its refusal is the client's answer), then the flow as the daemon now has it is written
 * ({@link ConfiguredLinks#persistFlow}); a flow that cannot be saved is removed again. A flow lives
 * on a vif and goes with its connection; {@code VifPropertyRestorer} adds the file's flows again
 * when a vif of that name connects.
 */
public final class PersistentFlows implements FlowAdmin {
    private final FlowAdmin live;
    private final ConfiguredLinks file;

    public PersistentFlows(FlowAdmin live, ConfiguredLinks file) {
        this.live = live;
        this.file = file;
    }

    private void save(FlowStatus s) {
        file.persistFlow(new FlowConfig(s.name(), s.link(), s.spec(), s.properties()));
    }

    private boolean inFile(String name) {
        return file.flows().stream().anyMatch(f -> f.name().equals(name));
    }

    @Override
    public FlowStatus addFlow(String name, String link, FlowSpec spec, FlowProperties properties) {
        FlowStatus s = live.addFlow(name, link, spec, properties);
        try {
            save(s);
        } catch (RuntimeException e) {
            live.removeFlow(name);
            throw e;
        }
        return s;
    }

    @Override
    public void removeFlow(String name) {
        try {
            live.removeFlow(name);
        } catch (LinkAdminException e) {
            if (!inFile(name)) {
                throw e;
            }
            // its vif is not connected now: the file's copy goes
        }
        file.forgetFlow(name);
    }

    @Override
    public List<String> removeFlows(String link) {
        List<String> names;
        try {
            names = live.removeFlows(link);
        } catch (LinkAdminException e) {
            names = file.flows().stream().filter(f -> f.link().equals(link)).map(FlowConfig::name).toList();
            if (names.isEmpty()) {
                throw e;
            }
        }
        for (FlowConfig f : file.flows()) {
            if (f.link().equals(link)) {
                file.forgetFlow(f.name());
            }
        }
        return names;
    }

    @Override
    public List<FlowStatus> flows(String link) {
        return live.flows(link);
    }

    @Override
    public FlowStatus setFlowProperties(String name, String assignments) {
        FlowStatus s = live.setFlowProperties(name, assignments);
        if (inFile(name)) {
            save(s);
        }
        return s;
    }

    @Override
    public FlowStatus resetFlowProperty(String name, String property) {
        FlowStatus s = live.resetFlowProperty(name, property);
        if (inFile(name)) {
            save(s);
        }
        return s;
    }
}
