package org.xnb.tools.config;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.xnb.netback.admin.DatalinkNames;
import org.xnb.netback.admin.EtherstubStatus;
import org.xnb.netback.admin.LinkAdmin;
import org.xnb.netback.admin.LinkAdminException;
import org.xnb.netback.admin.VnicAdmin;
import org.xnb.netback.admin.VnicStatus;
import org.xnb.tools.admin.PersistentAdmin;
import org.xnb.vnic.MacAddress;
import org.xnb.vnic.prop.LinkProperties;
import org.xnb.vnic.prop.PropertyException;

/**
 * The daemon's datalinks with dladm's persistence: every change goes to the running daemon (a
 * {@link LinkAdmin} + {@link VnicAdmin}: netback's {@code VnicManager}) and to the configuration
 * file ({@link ConfigStore}), or to one of them ({@code -t}: the daemon, {@code -P}: the file).
 *
 * <pre>
 *  change (BOTH):  check -> apply to the daemon -> save the file -> answer
 *                  a failed save undoes a create (the client gets "not saved: FILE: why"); other
 *                  changes stay applied and the client is told they were not saved
 *  start:          restore(): etherstubs, then VNICs with their properties (a failure is logged, the
 *                  entry stays in the file); vifs get their "linkprop" entries when they connect
 *                  ({@link #vifProperties})
 * </pre>
 *
 * Flows live in the same file ({@link #flows}, {@link #persistFlow}, {@link #forgetFlow}: the seam
 * for add-flow/remove-flow). Every method holds this object's monitor, so saves are serial.
 */
public final class ConfiguredLinks implements PersistentAdmin {
    private static final Logger LOG = System.getLogger(ConfiguredLinks.class.getName());
    private static final Pattern VIF = Pattern.compile("vif[0-9]+\\.[0-9]+");

    private final ConfigStore store;
    private final LinkAdmin links;
    private final VnicAdmin vnics;
    private final Predicate<String> liveVnic;
    private final int availableCpus;
    /** null when the daemon has no flows. */
    private final PersistentFlows flows;
    private Configuration config;

    /**
     * @param liveVnic whether a VNIC made by create-vnic of that name runs now (its properties are
     *                 persisted on its own "vnic" line, a vif's on a "linkprop" line)
     */
    public ConfiguredLinks(ConfigStore store, Configuration loaded, LinkAdmin links, VnicAdmin vnics,
            Predicate<String> liveVnic, int availableCpus) {
        this.store = store;
        this.config = loaded;
        this.links = links;
        this.vnics = vnics;
        this.liveVnic = liveVnic;
        this.availableCpus = availableCpus;
        this.flows = links instanceof org.xnb.netback.admin.FlowAdmin f ? new PersistentFlows(f, this) : null;
    }

    @Override
    public org.xnb.netback.admin.FlowAdmin flowAdmin() {
        return flows;
    }

    /** The configuration as saved last (or loaded). */
    public synchronized Configuration configuration() {
        return config;
    }

    /** Makes what the file lists: etherstubs, then VNICs; each failure logged, nothing removed from the file. */
    public synchronized void restore() {
        for (EtherstubConfig e : config.etherstubs()) {
            try {
                vnics.createEtherstub(e.name());
                LOG.log(Level.INFO, "configuration: etherstub {0} restored", e.name());
            } catch (RuntimeException ex) {
                LOG.log(Level.ERROR, "configuration " + store.file() + ": etherstub " + e.name() + " not restored: "
                        + ex.getMessage());
            }
        }
        for (VnicConfig v : config.vnics()) {
            try {
                vnics.createVnic(v.name(), v.over(), v.mac(), v.vlan(), assignments(v.properties()));
                LOG.log(Level.INFO, "configuration: vnic {0} over {1} restored", v.name(), v.over());
            } catch (RuntimeException ex) {
                LOG.log(Level.ERROR, "configuration " + store.file() + ": vnic " + v.name() + " not restored: "
                        + ex.getMessage());
            }
        }
    }

    /** The persisted properties of vif {@code name} as set-linkprop's text, or null for none. */
    public synchronized String vifProperties(String name) {
        LinkPropConfig p = config.linkprop(name);
        if (p == null) {
            return null;
        }
        String a = assignments(p.properties());
        return a.isEmpty() ? null : a;
    }

    /** {@code name=value,...} of the properties not at their default. */
    static String assignments(LinkProperties p) {
        return String.join(",", ConfigFormat.propertyTokens(p));
    }

    private void save(Configuration next, Runnable undo, String what) {
        try {
            store.save(next);
            config = next;
        } catch (ConfigSaveException e) {
            if (undo != null) {
                try {
                    undo.run();
                } catch (RuntimeException u) {
                    LOG.log(Level.ERROR, "undoing " + what + " after a failed save: " + u.getMessage());
                }
                throw new LinkAdminException(what + " not done: the configuration could not be saved: " + e.getMessage());
            }
            throw new LinkAdminException(what + " applied to the running daemon but not saved: " + e.getMessage()
                    + " (use -t for changes that are not to be saved)");
        }
    }

    private void notInFile(String name) {
        if (config.hasEtherstub(name) || config.vnic(name) != null) {
            throw new LinkAdminException("link '" + name + "' already exists in the configuration file "
                    + store.file() + (config.hasEtherstub(name) ? " (an etherstub)" : " (a VNIC over "
                    + config.vnic(name).over() + ")"));
        }
    }

    private LinkProperties parse(LinkProperties base, String assignments) {
        try {
            return base.setAll(assignments);
        } catch (PropertyException e) {
            throw new LinkAdminException(e.getMessage());
        }
    }

    // ---- etherstubs ----

    @Override
    public synchronized void createEtherstub(String name, Scope scope) {
        DatalinkNames.check(name, "etherstub", DatalinkNames.ETHERSTUB_MAX);
        if (scope != Scope.TEMPORARY) {
            notInFile(name);
            if (config.linkprop(name) != null) {
                throw new LinkAdminException("link '" + name + "' has properties in the configuration file; "
                        + "reset-linkprop -P them first");
            }
        }
        if (scope != Scope.PERSISTENT) {
            vnics.createEtherstub(name);
        }
        if (scope != Scope.TEMPORARY) {
            save(config.withEtherstub(new EtherstubConfig(name)),
                    scope == Scope.BOTH ? () -> vnics.deleteEtherstub(name) : null, "create-etherstub " + name);
        }
    }

    @Override
    public synchronized void deleteEtherstub(String name, Scope scope) {
        boolean inFile = config.hasEtherstub(name);
        if (scope != Scope.TEMPORARY) {
            for (VnicConfig v : config.vnics()) {
                if (v.over().equals(name)) {
                    throw new LinkAdminException("etherstub '" + name + "' is in use by VNIC " + v.name()
                            + " in the configuration file " + store.file() + "; delete-vnic it first");
                }
            }
            if (scope == Scope.PERSISTENT && !inFile) {
                throw new LinkAdminException("no etherstub '" + name + "' in the configuration file " + store.file());
            }
        }
        boolean live = vnics.etherstubs().stream().anyMatch(e -> e.name().equals(name));
        if (scope == Scope.TEMPORARY || (scope == Scope.BOTH && (live || !inFile))) {
            vnics.deleteEtherstub(name); // its error names what is wrong
        }
        if (scope != Scope.TEMPORARY && inFile) {
            save(config.withoutLink(name), null, "delete-etherstub " + name);
        }
    }

    @Override
    public int vid(String link) {
        return vnics.vid(link);
    }

    @Override
    public List<EtherstubStatus> etherstubs() {
        return vnics.etherstubs();
    }

    // ---- VNICs ----

    @Override
    public synchronized VnicStatus createVnic(String name, String over, String mac, int vid, String properties,
            Scope scope) {
        DatalinkNames.check(name, "VNIC", DatalinkNames.VNIC_MAX);
        if (scope != Scope.TEMPORARY) {
            notInFile(name);
        }
        LinkProperties props = properties == null || properties.isEmpty() ? LinkProperties.defaults(availableCpus)
                : parse(LinkProperties.defaults(availableCpus), properties);
        VnicStatus made;
        if (scope == Scope.PERSISTENT) {
            if (over == null || over.isEmpty()) {
                throw new LinkAdminException("create-vnic needs -l LINK");
            }
            String m;
            try {
                m = MacAddress.format(mac == null ? MacAddress.randomXen(java.util.concurrent.ThreadLocalRandom.current())
                        : MacAddress.parse(mac));
            } catch (IllegalArgumentException e) {
                throw new LinkAdminException(e.getMessage());
            }
            made = new VnicStatus(name, 0, -1, over, m, "--", null);
        } else {
            made = vnics.createVnic(name, over, mac, vid, properties);
        }
        if (scope != Scope.TEMPORARY) {
            VnicConfig v;
            try {
                v = new VnicConfig(name, over, made.mac(), vid, props);
            } catch (IllegalArgumentException e) {
                if (scope == Scope.BOTH) {
                    vnics.deleteVnic(name);
                }
                throw new LinkAdminException(e.getMessage());
            }
            save(config.withVnic(v), scope == Scope.BOTH ? () -> vnics.deleteVnic(name) : null, "create-vnic " + name);
        }
        return made;
    }

    @Override
    public synchronized void deleteVnic(String name, Scope scope) {
        boolean inFile = config.vnic(name) != null;
        if (scope == Scope.PERSISTENT && !inFile) {
            throw new LinkAdminException("no VNIC '" + name + "' in the configuration file " + store.file());
        }
        if (scope == Scope.TEMPORARY || (scope == Scope.BOTH && (liveVnic.test(name) || !inFile))) {
            vnics.deleteVnic(name);
        }
        if (scope != Scope.TEMPORARY && inFile) {
            save(config.withoutLink(name), null, "delete-vnic " + name);
        }
    }

    // ---- link properties: a VNIC's on its vnic line, a vif's on a linkprop line ----

    @Override
    public synchronized void setProperties(String link, String assignments, Scope scope) {
        parse(LinkProperties.defaults(availableCpus), assignments); // refuse bad text before anything
        change(link, scope, "set-linkprop", base -> parse(base, assignments),
                () -> links.setProperties(link, assignments, scope == Scope.TEMPORARY));
    }

    @Override
    public synchronized void resetProperty(String link, String name, Scope scope) {
        change(link, scope, "reset-linkprop", base -> {
            try {
                return base.reset(name);
            } catch (PropertyException e) {
                throw new LinkAdminException(e.getMessage());
            }
        }, () -> links.resetProperty(link, name));
    }

    private void change(String link, Scope scope, String what,
            java.util.function.UnaryOperator<LinkProperties> edit, Runnable applyLive) {
        VnicConfig v = config.vnic(link);
        boolean vif = VIF.matcher(link).matches();
        if (scope != Scope.TEMPORARY && v == null && !vif) {
            if (scope == Scope.PERSISTENT || liveVnic.test(link)) {
                throw new LinkAdminException(link + ": not in the configuration file " + store.file()
                        + (liveVnic.test(link) ? " (made with -t); use -t" : "; links there: "
                        + String.join(", ", config.vnics().stream().map(VnicConfig::name).toList())));
            }
        }
        LinkProperties next = null;
        if (scope != Scope.TEMPORARY && (v != null || vif)) {
            LinkPropConfig lp = config.linkprop(link);
            LinkProperties base = v != null ? v.properties()
                    : lp != null ? lp.properties() : LinkProperties.defaults(availableCpus);
            next = edit.apply(base);
        }
        if (scope != Scope.PERSISTENT) {
            applyLive.run(); // the daemon's refusal (no such link, a bad value here) comes first
        }
        if (next != null) {
            Configuration c = v != null ? config.withVnic(new VnicConfig(v.name(), v.over(), v.mac(), v.vlan(), next))
                    : config.withLinkProp(link, ConfigFormat.propertyTokens(next).isEmpty() ? null : next);
            save(c, null, what + " " + link);
        }
    }

    // ---- show-vnic -P, show-linkprop -P: the file's view ----

    @Override
    public synchronized List<java.util.Map<String, String>> persistedVnics() {
        List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
        for (VnicConfig v : config.vnics()) {
            java.util.Map<String, String> r = new java.util.LinkedHashMap<>();
            r.put("LINK", v.name());
            r.put("OVER", v.over());
            r.put("MACADDRESS", v.mac());
            r.put("STATE", "--");
            r.put("GUEST", "--");
            r.put("DOMID", "0");
            r.put("MAXBW", v.properties().get(LinkProperties.MAXBW));
            r.put("VID", Integer.toString(v.vlan()));
            rows.add(r);
        }
        return rows;
    }

    @Override
    public synchronized List<org.xnb.netback.admin.LinkPropertyStatus> persistedProperties(String link) {
        List<org.xnb.netback.admin.LinkPropertyStatus> rows = new java.util.ArrayList<>();
        java.util.Map<String, LinkProperties> links = new java.util.LinkedHashMap<>();
        config.vnics().forEach(v -> links.put(v.name(), v.properties()));
        config.linkprops().forEach(l -> links.put(l.name(), l.properties()));
        if (link != null && !links.containsKey(link)) {
            throw new LinkAdminException("no link '" + link + "' in the configuration file " + store.file()
                    + "; links there: " + (links.isEmpty() ? "none" : String.join(", ", links.keySet())));
        }
        links.forEach((name, p) -> {
            if (link != null && !link.equals(name)) {
                return;
            }
            java.util.Set<String> set = new java.util.HashSet<>();
            for (String t : ConfigFormat.propertyTokens(p)) {
                set.add(t.substring(0, t.indexOf('=')));
            }
            for (String n : LinkProperties.NAMES) {
                rows.add(new org.xnb.netback.admin.LinkPropertyStatus(name, n, "rw", set.contains(n) ? p.get(n) : "--",
                        "--", LinkProperties.defaultText(n), LinkProperties.possibleText(n)));
            }
        });
        return rows;
    }

    // ---- flows: kept in the same file; add-flow/remove-flow call these ----

    /**
     * Adds the file's flows on vif {@code link} to the running daemon (it just connected): each
     * failure logged, nothing removed from the file.
     */
    public void restoreFlows(String link) {
        if (!(links instanceof org.xnb.netback.admin.FlowAdmin live)) {
            return;
        }
        for (FlowConfig f : flows()) {
            if (!f.link().equals(link)) {
                continue;
            }
            try {
                live.addFlow(f.name(), f.link(), f.spec(), f.properties());
                LOG.log(Level.INFO, "configuration: flow {0} on {1} restored", f.name(), link);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "configuration " + store.file() + ": flow " + f.name() + " on " + link
                        + " not restored: " + e.getMessage());
            }
        }
    }

    /** The persisted flows. */
    public synchronized List<FlowConfig> flows() {
        return config.flows();
    }

    /** Adds or replaces a flow in the file. */
    public synchronized void persistFlow(FlowConfig f) {
        save(config.withFlow(f), null, "flow " + f.name());
    }

    /** Removes a flow from the file (nothing when it is not there). */
    public synchronized void forgetFlow(String name) {
        if (config.flows().stream().anyMatch(f -> f.name().equals(name))) {
            save(config.withoutFlow(name), null, "flow " + name);
        }
    }
}
