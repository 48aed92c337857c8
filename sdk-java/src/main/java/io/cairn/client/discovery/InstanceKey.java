package io.cairn.client.discovery;

/**
 * Which instance: its id within a service. The registry stores it under
 * {@code /cairn/registry/<namespace>/<service>/<id>}.
 *
 * @param namespace 1 to 200 of A-Z a-z 0-9 . _ - : @ #
 * @param service   the same rules
 * @param id        the same rules
 */
public record InstanceKey(String namespace, String service, String id) {
    /** @throws IllegalArgumentException for an empty name, or one with other characters or longer than 200 */
    public InstanceKey {
        Names.check("namespace", namespace);
        Names.check("service", service);
        Names.check("instance id", id);
    }

    /** The instance {@code id} of {@code service}. */
    public static InstanceKey of(ServiceKey service, String id) {
        return new InstanceKey(service.namespace(), service.service(), id);
    }

    /** The service it belongs to. */
    public ServiceKey serviceKey() {
        return new ServiceKey(namespace, service);
    }

    @Override
    public String toString() {
        return namespace + "/" + service + "/" + id;
    }
}
