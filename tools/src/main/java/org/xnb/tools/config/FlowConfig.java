package org.xnb.tools.config;

import java.util.Objects;
import org.xnb.vnic.flow.Flow;
import org.xnb.vnic.flow.FlowProperties;
import org.xnb.vnic.flow.FlowSpec;

/** A persisted flow: {@code add-flow -l LINK -a SPEC [-p props] NAME}. */
public record FlowConfig(String name, String link, FlowSpec spec, FlowProperties properties) {
    public FlowConfig {
        Flow.checkName(name);
        ConfigNames.check(link, "flow link");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(properties, "properties");
    }
}
