package io.cairn.server.apply;

/** What the KV appliers need to know of leases: whether one exists. */
@FunctionalInterface
public interface LeaseLookup {
    boolean exists(long leaseId);
}
