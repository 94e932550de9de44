package org.xnb.tools.daemon;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.xnb.netback.link.Links;
import org.xnb.netback.vif.NetbackService;
import org.xnb.netback.vnic.VnicManager;
import org.xnb.tools.config.ConfigStore;
import org.xnb.tools.config.ConfiguredLinks;
import org.xnb.tools.config.LoadedConfiguration;

/**
 * The daemon's datalinks and their configuration file, wired: netback's {@link VnicManager} (vifs,
 * etherstubs, VNICs made by command) behind {@link ConfiguredLinks} (the file), what the file lists
 * made again at start, and each connecting vif given its persisted properties.
 */
final class Persistence implements AutoCloseable {
    private static final Logger LOG = System.getLogger("org.xnb.tools.daemon");

    private final VnicManager links;
    private final ConfiguredLinks configured;
    private final VifPropertyRestorer restorer;

    private Persistence(VnicManager links, ConfiguredLinks configured, VifPropertyRestorer restorer) {
        this.links = links;
        this.configured = configured;
        this.restorer = restorer;
    }

    /** Reads the file (its problems logged) and opens its etherstubs, before any vif can name them. */
    static Loaded load(Path file, Links opened) {
        ConfigStore store = new ConfigStore(file);
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            LOG.log(Level.ERROR, "configuration: cannot make the directory of " + file + ": " + e
                    + " (changes will fail to save)");
        }
        LoadedConfiguration loaded = store.load();
        for (String p : loaded.problems()) {
            LOG.log(Level.ERROR, "configuration: " + p);
        }
        switch (loaded.source()) {
            case PRIMARY -> LOG.log(Level.INFO, "configuration: {0}", file);
            case BACKUP -> LOG.log(Level.ERROR, "configuration: {0} is not usable; using its last good copy {1}",
                    file, store.backup());
            case NONE -> LOG.log(Level.INFO, "configuration: {0} does not exist yet (nothing to restore)", file);
            case NONE_USABLE -> LOG.log(Level.ERROR, "configuration: neither {0} nor {1} is usable; starting empty,"
                    + " both files left as they are until the next change", file, store.backup());
        }
        for (org.xnb.tools.config.EtherstubConfig e : loaded.configuration().etherstubs()) {
            try {
                opened.createEtherstub(e.name());
            } catch (RuntimeException ex) {
                LOG.log(Level.ERROR, "configuration " + file + ": etherstub " + e.name() + " not restored: "
                        + ex.getMessage());
            }
        }
        return new Loaded(store, loaded, opened);
    }

    /** The file read, its etherstubs open. */
    record Loaded(ConfigStore store, LoadedConfiguration loaded, Links links) {
        /** Wires the admin side over the running service and makes the file's VNICs. */
        Persistence start(org.xnb.vnic.lane.LaneScheduler lanes, NetbackService service) {
            VnicManager manager = new VnicManager(links, lanes, service, new SecureRandom());
            ConfiguredLinks configured = new ConfiguredLinks(store, loaded.configuration(), manager, manager,
                    name -> manager.vnic(name) != null, Runtime.getRuntime().availableProcessors());
            configured.restore(); // the etherstubs are there already: taken as they are
            VifPropertyRestorer restorer = new VifPropertyRestorer(service.vifs(), manager, configured::vifProperties,
                    configured::restoreFlows);
            return new Persistence(manager, configured, restorer);
        }
    }

    VnicManager links() {
        return links;
    }

    ConfiguredLinks configured() {
        return configured;
    }

    @Override
    public void close() {
        restorer.close();
        links.close();
    }
}
