package org.xnb.tools.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * What the metrics endpoint serves: metric families (name, help, type) and their series (labels
 * and a value supplier read at scrape time). The daemon registers every link, lane and flow
 * counter when it creates the object and closes the {@link Registration} when it goes away.
 * Thread-safe; a scrape reads the suppliers on the Netty thread, so a supplier must be cheap and
 * must not block (reading a plain or volatile long is what it is for).
 */
public final class MetricsRegistry {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** One registered series; closing it removes the series from the endpoint. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    record Family(String name, String help, MetricType type, List<Series> series) {
    }

    record Series(Map<String, String> labels, LongSupplier value) {
    }

    /**
     * Series known only at scrape time (the lanes in the daemon's counters file come and go
     * without telling anyone): called on every scrape, it reports each series with its value.
     */
    @FunctionalInterface
    public interface Collector {
        void collect(Sink sink);

        interface Sink {
            void sample(String name, String help, MetricType type, Map<String, String> labels, long value);
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final List<Collector> collectors = new CopyOnWriteArrayList<>();

    /**
     * Registers one series. The first registration of a name fixes its help and type; a later one
     * with another type is refused, as is the same name and labels twice.
     */
    public synchronized Registration register(String name, String help, MetricType type, Map<String, String> labels,
            LongSupplier value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' is not [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        for (String l : copy.keySet()) {
            if (!LABEL.matcher(l).matches() || l.startsWith("__")) {
                throw new IllegalArgumentException("label name '" + l + "' of " + name + " is not valid");
            }
        }
        Objects.requireNonNull(value, "value");
        Family f = families.computeIfAbsent(name, n -> new Family(n, help, type, new CopyOnWriteArrayList<>()));
        if (f.type() != type) {
            throw new IllegalArgumentException(name + " is a " + f.type().token() + ", not a " + type.token());
        }
        for (Series s : f.series()) {
            if (s.labels().equals(copy)) {
                throw new IllegalArgumentException(name + copy + " is registered already");
            }
        }
        Series s = new Series(copy, value);
        f.series().add(s);
        return () -> remove(f, s);
    }

    private synchronized void remove(Family f, Series s) {
        f.series().remove(s);
        if (f.series().isEmpty()) {
            families.remove(f.name(), f);
        }
    }

    /** Adds a collector; closing the registration removes it. */
    public Registration addCollector(Collector c) {
        Objects.requireNonNull(c, "collector");
        collectors.add(c);
        return () -> collectors.remove(c);
    }

    /** The registered families, then what the collectors report now (merged into families by name). */
    List<Family> snapshot() {
        Map<String, Family> out = new LinkedHashMap<>();
        synchronized (this) {
            families.forEach((n, f) -> out.put(n, new Family(n, f.help(), f.type(), new ArrayList<>(f.series()))));
        }
        for (Collector c : collectors) { // outside the lock: a collector reads memory, never the registry
            c.collect((name, help, type, labels, value) -> {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("metric name '" + name + "' is not [a-zA-Z_:][a-zA-Z0-9_:]*");
                }
                Family f = out.computeIfAbsent(name, n -> new Family(n, help, type, new ArrayList<>()));
                if (f.type() != type) {
                    throw new IllegalArgumentException(name + " is a " + f.type().token() + ", not a " + type.token());
                }
                f.series().add(new Series(Collections.unmodifiableMap(new LinkedHashMap<>(labels)), () -> value));
            });
        }
        return new ArrayList<>(out.values());
    }
}
