package io.cairn.client.discovery;

/**
 * A change to a service's instances, as a subscriber is told it.
 *
 * @param type     what happened
 * @param instance the instance as it is now; for a removal, as it was last stored
 * @param revision the store revision of the change
 */
public record InstanceChange(Type type, ServiceInstance instance, long revision) {
    /** What happened to the instance. */
    public enum Type {
        /** It was registered (or came into view). */
        ADDED,
        /** Its status, weight, tags, metadata, address or lease changed. */
        UPDATED,
        /** It was deregistered, or its lease ended. */
        REMOVED
    }
}
