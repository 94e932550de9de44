package org.xnb.tools.daemon;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.vif.Vif;
import org.xnb.netback.vif.VifBackend;

/**
 * Gives each vif that connects the link properties and flows persisted for its name (set-linkprop
 * without {@code -t} on {@code vif5.0}, add-flow; "linkprop" and "flow" lines of the file), also after a daemon
 * restart that resumes live vifs: told by {@link VifBackend#onConnected} as each vif connects, and
 * at the start for the vifs that connected before it (a reconnect is a new {@link Vif}).
 */
final class VifPropertyRestorer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(VifPropertyRestorer.class.getName());

    private final VifBackend vifs;
    private final LinkAdmin links;
    private final Function<String, String> persisted;
    /** Adds the file's flows of a vif that just connected. */
    private final java.util.function.Consumer<String> restoreFlows;
    /** The connection each vif name was last restored for: the start's look and a connect can meet. */
    private final Map<String, Vif> seen = new HashMap<>();

    /** @param persisted a vif's name -> its persisted properties as set-linkprop's text, or null */
    VifPropertyRestorer(VifBackend vifs, LinkAdmin links, Function<String, String> persisted,
            java.util.function.Consumer<String> restoreFlows) {
        this.vifs = vifs;
        this.links = links;
        this.persisted = persisted;
        this.restoreFlows = restoreFlows;
        vifs.onConnected(this::restore);
        for (Vif v : vifs.vifs().values()) {
            restore(v);
        }
    }

    /** One connection: its saved flows and properties, once. */
    synchronized void restore(Vif v) {
        String name = v.toString();
        if (seen.get(name) == v) {
            return;
        }
        seen.put(name, v);
        try {
            restoreFlows.accept(name);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": flows from the configuration refused: " + e.getMessage());
        }
        String props = persisted.apply(name);
        if (props == null) {
            return;
        }
        try {
            links.setProperties(name, props, true);
            LOG.log(Level.INFO, "{0}: link properties from the configuration: {1}", name, props);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": link properties from the configuration (" + props + ") refused: "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        vifs.onConnected(v -> { });
    }
}
