package org.xnb.tools.daemon;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.vif.Vif;
import org.xnb.netback.vif.VifBackend;
import org.xnb.netback.xenbus.VifId;

/**
 * Gives each vif that connects the link properties and flows persisted for its name (set-linkprop
 * without {@code -t} on {@code vif5.0}, add-flow; "linkprop" and "flow" lines of the file), also after a daemon
 * restart that resumes live vifs. Control path: a daemon thread looks every {@link #PERIOD_MS} ms
 * for connections it has not seen (a reconnect is a new {@link Vif}), so a vif runs at most that
 * long with its defaults.
 */
final class VifPropertyRestorer implements AutoCloseable {
    static final long PERIOD_MS = 200;
    private static final Logger LOG = System.getLogger(VifPropertyRestorer.class.getName());

    private final VifBackend vifs;
    private final LinkAdmin links;
    private final Function<String, String> persisted;
    /** Adds the file's flows of a vif that just connected. */
    private final java.util.function.Consumer<String> restoreFlows;
    private final Map<String, Vif> seen = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param persisted a vif's name -> its persisted properties as set-linkprop's text, or null */
    VifPropertyRestorer(VifBackend vifs, LinkAdmin links, Function<String, String> persisted,
            java.util.function.Consumer<String> restoreFlows) {
        this.vifs = vifs;
        this.links = links;
        this.persisted = persisted;
        this.restoreFlows = restoreFlows;
        this.thread = new Thread(this::run, "vif-linkprops");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try {
                scan();
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "restoring vif link properties: " + e);
            }
        }
    }

    /** One look: new connections get their properties. */
    void scan() {
        Map<VifId, Vif> now = vifs.vifs();
        seen.keySet().removeIf(name -> now.values().stream().noneMatch(v -> v.toString().equals(name)));
        for (Vif v : now.values()) {
            String name = v.toString();
            if (seen.get(name) == v) {
                continue;
            }
            seen.put(name, v);
            restoreFlows.accept(name);
            String props = persisted.apply(name);
            if (props == null) {
                continue;
            }
            try {
                links.setProperties(name, props, true);
                LOG.log(Level.INFO, "{0}: link properties from the configuration: {1}", name, props);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, name + ": link properties from the configuration (" + props + ") refused: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
