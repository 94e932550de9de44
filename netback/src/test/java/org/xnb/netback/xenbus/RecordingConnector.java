package org.xnb.netback.xenbus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.xnb.netback.VifFeatures;

/** A {@link VifConnector} that records every call; {@link #refuse} makes chosen connects throw. */
final class RecordingConnector implements VifConnector {

    /** One connect call and what happened to the connection it returned. */
    static final class Connection implements VifConnection {
        final VifId id;
        final int frontendDomid;
        final FrontendRings rings;
        final VifFeatures features;
        /** The whole offer (every queue, the control ring). */
        FrontendOffer offer;
        final VifConfig config;
        final AttachMode mode;
        final AtomicInteger closes = new AtomicInteger();
        final List<RateLimit> rates = new CopyOnWriteArrayList<>();
        final String thread = Thread.currentThread().getName();
        volatile boolean failRates;

        Connection(VifId id, int frontendDomid, FrontendRings rings, VifFeatures features, VifConfig config,
                AttachMode mode) {
            this.id = id;
            this.frontendDomid = frontendDomid;
            this.rings = rings;
            this.features = features;
            this.config = config;
            this.mode = mode;
        }

        @Override
        public void rateChanged(RateLimit rate) {
            if (closes.get() != 0) {
                throw new IllegalStateException("rateChanged after close");
            }
            rates.add(rate);
            if (failRates) {
                throw new IllegalStateException("data path rejected the rate");
            }
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    final List<Connection> connections = new CopyOnWriteArrayList<>();
    volatile Predicate<VifId> refuse = id -> false;
    /** What the backend advertises; 1 and no control ring unless a test says otherwise. */
    volatile int maxQueues = 1;
    volatile boolean controlRing;

    @Override
    public int maxQueues() {
        return maxQueues;
    }

    @Override
    public boolean controlRing() {
        return controlRing;
    }

    @Override
    public VifConnection connect(VifId id, int frontendDomid, FrontendOffer offer, VifConfig config,
            AttachMode mode) {
        Connection c = (Connection) connect(id, frontendDomid, offer.rings(), offer.features(), config, mode);
        c.offer = offer;
        return c;
    }

    @Override
    public VifConnection connect(VifId id, int frontendDomid, FrontendRings rings, VifFeatures features,
            VifConfig config, AttachMode mode) {
        if (refuse.test(id)) {
            throw new IllegalStateException("grant map refused for " + id);
        }
        Connection c = new Connection(id, frontendDomid, rings, features, config, mode);
        connections.add(c);
        return c;
    }

    List<Connection> of(VifId id) {
        return connections.stream().filter(c -> c.id.equals(id)).toList();
    }

    long open() {
        return connections.stream().filter(c -> c.closes.get() == 0).count();
    }
}
