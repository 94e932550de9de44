package org.xnb.harness.hypervisor;

/** The state of an event-channel port, Xen's ECS_* values. */
public enum PortState {
    FREE, UNBOUND, INTERDOMAIN;

    static PortState of(int ecs) {
        return switch (ecs) {
            case DomainLayout.ECS_FREE -> FREE;
            case DomainLayout.ECS_UNBOUND -> UNBOUND;
            case DomainLayout.ECS_INTERDOMAIN -> INTERDOMAIN;
            default -> throw new IllegalStateException("port state " + ecs);
        };
    }
}
