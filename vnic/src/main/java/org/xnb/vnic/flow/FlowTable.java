package org.xnb.vnic.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flows of one link. Changes come from the control plane (add-flow, remove-flow) under this
 * object's lock; each change compiles a new {@link FlowClassifier} and publishes it by a volatile
 * write, so lanes classify without any lock ({@link #classifier()} once per batch).
 *
 * <p>The rules of flowadm/illumos enforced on add:
 * <ul>
 *   <li>All flows on a link have the same {@link FlowType} ("On a given link, the types of
 *       combinations above are mutually exclusive", flowadm(8)); IPv4 and IPv6 addresses of
 *       the same type may be mixed, as the kernel's IP flow table holds both.</li>
 *   <li>No two flows with the same attributes (the kernel's {@code fe_match} duplicate check):
 *       same address and prefix; same protocol; same protocol and port; same dsfield and mask.</li>
 *   <li>Flow names are unique on the link (uniqueness across links is the caller's job).</li>
 *   <li>At most {@link #MAX_FLOWS} flows, which bounds the classifier's work.</li>
 * </ul>
 */
public final class FlowTable {
    public static final int MAX_FLOWS = 1024;

    private final String link;
    private final List<Flow> flows = new ArrayList<>();
    private volatile FlowClassifier classifier = FlowClassifier.empty();

    public FlowTable(String link) {
        this.link = link;
    }

    public String link() {
        return link;
    }

    /** The current snapshot for the data path. */
    public FlowClassifier classifier() {
        return classifier;
    }

    /** Adds a flow, or throws {@link FlowException} saying which rule it breaks. */
    public synchronized Flow add(String name, FlowSpec spec, FlowProperties properties) {
        Flow flow = new Flow(name, spec, properties);
        if (flows.size() == MAX_FLOWS) {
            throw new FlowException("link " + link + " already has " + MAX_FLOWS + " flows, the most allowed");
        }
        for (Flow f : flows) {
            if (f.name().equals(name)) {
                throw new FlowException("flow " + name + " already exists on link " + link);
            }
        }
        if (!flows.isEmpty() && flows.get(0).spec().type() != spec.type()) {
            throw new FlowException("flow " + name + " is of type " + spec.type().text() + " but link " + link
                    + " has flows of type " + flows.get(0).spec().type().text() + " (" + flows.get(0).name()
                    + "); flowadm allows one type of flow per link");
        }
        for (Flow f : flows) {
            if (f.spec().equals(spec)) {
                throw new FlowException("flow " + f.name() + " on link " + link + " already has the attributes " + spec);
            }
        }
        flows.add(flow);
        publish();
        return flow;
    }

    /** Removes a flow by name; false if there is none. */
    public synchronized boolean remove(String name) {
        boolean removed = flows.removeIf(f -> f.name().equals(name));
        if (removed) {
            publish();
        }
        return removed;
    }

    public synchronized Optional<Flow> find(String name) {
        return flows.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The flows in the order they were added. */
    public synchronized List<Flow> flows() {
        return List.copyOf(flows);
    }

    private void publish() {
        classifier = FlowClassifier.compile(flows.toArray(new Flow[0]));
    }
}
